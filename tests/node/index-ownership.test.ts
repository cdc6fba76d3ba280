import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { locateIndex } from '../../src-main/node/archive/index-location';
import { inspectIndexFile } from '../../src-main/node/index/ownership';
import { IndexStore } from '../../src-main/node/index/store';
import { copyArchive, edgeArchive, repoRoot, tempDir } from '../helpers/temp';
import { closedAfterEach } from '../helpers/archive-services';

/** Every file in a folder with its bytes, to show that nothing was touched. */
const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(fs.readdirSync(dir).sort().map((name) => [name, fs.readFileSync(path.join(dir, name)).toString('base64')]));

/** Another program's SQLite database: WAL mode, a table, a row. */
function otherAppDatabase(file: string, setup = "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me');"): void {
  const db = new Database(file);
  db.exec(setup);
  db.close();
}

const POST = '---\ntitle: "Mine"\ndate: 2020-01-01\n---\nMy own words.\n';

describe('the index file Backfile may delete or rebuild', () => {
  const make = closedAfterEach();

  const refusals: [string, (file: string) => void][] = [
    ['a post (Markdown) outside the archive', (file) => fs.writeFileSync(file, POST)],
    ['a text file', (file) => fs.writeFileSync(file, 'shopping list\n'.repeat(500))],
    ["another program's SQLite database with a table", (file) => otherAppDatabase(file)],
    ["another program's database with its own application_id", (file) => otherAppDatabase(file, 'PRAGMA application_id = 7; CREATE TABLE t (x);')],
    ['an empty SQLite database made by another program', (file) => otherAppDatabase(file, 'PRAGMA user_version = 3;')],
    ["another program's database in WAL mode, with its -wal and -shm", (file) => {
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('wal_autocheckpoint = 0');
      db.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('in the wal');");
      // Leave the -wal as a crashed program would: copy the files while the connection is still open.
      for (const suffix of ['', '-wal', '-shm']) fs.copyFileSync(file + suffix, `${file}.copy${suffix}`);
      db.close();
      for (const suffix of ['', '-wal', '-shm']) fs.renameSync(`${file}.copy${suffix}`, file + suffix);
    }],
  ];

  for (const [what, make_] of refusals) {
    it(`refuses ${what} given as the index (NOT_OURS) and leaves it byte-identical`, async () => {
      const dir = tempDir();
      const file = path.join(dir, 'given.sqlite');
      make_(file);
      const before = snapshot(dir);
      await expect(make().open(edgeArchive, { waitForIndex: true, indexFile: file })).rejects.toMatchObject({ code: 'NOT_OURS' });
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it("keeps another program's table and rows intact", async () => {
    const file = path.join(tempDir(), 'app.db');
    otherAppDatabase(file);
    await expect(make().open(edgeArchive, { waitForIndex: true, indexFile: file })).rejects.toThrow(/not a Backfile index/);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT text FROM notes').pluck().all()).toEqual(['keep me']);
    db.close();
  });

  it('refuses even at the path Backfile chose when the file is provably another program\'s', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'chosen.sqlite');
    otherAppDatabase(file);
    const before = snapshot(dir);
    await expect(make({ indexPathFor: () => file }).open(edgeArchive, { waitForIndex: true })).rejects.toMatchObject({ code: 'NOT_OURS' });
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses an index path inside the archive (UNSAFE_PATH), also through a symbolic link, and writes nothing there', async () => {
    const archive = copyArchive(edgeArchive);
    const postFile = fs.readdirSync(path.join(archive, '_posts')).find((n) => n.endsWith('.md'))!;
    const post = path.join(archive, '_posts', postFile);
    const link = path.join(tempDir(), 'link-to-archive');
    fs.symlinkSync(archive, link);
    const before = fs.readFileSync(post);
    for (const indexFile of [post, path.join(archive, 'new-index.sqlite'), path.join(link, '_posts', postFile), path.join(archive, 'sub', 'x.sqlite')]) {
      await expect(make().open(archive, { waitForIndex: true, indexFile }), indexFile).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    }
    expect(fs.readFileSync(post)).toEqual(before);
    expect(fs.existsSync(path.join(archive, 'new-index.sqlite'))).toBe(false);
    expect(fs.existsSync(path.join(archive, 'sub'))).toBe(false);
  });

  it('uses a 0-byte file and a path with no file yet', async () => {
    const dir = tempDir();
    const empty = path.join(dir, 'empty.sqlite');
    fs.writeFileSync(empty, '');
    const info = await make().open(edgeArchive, { waitForIndex: true, indexFile: empty });
    expect(info.posts).toBeGreaterThan(5);
    expect(inspectIndexFile(empty).kind).toBe('ours');
    const fresh = await make().open(edgeArchive, { waitForIndex: true, indexFile: path.join(dir, 'fresh.sqlite') });
    expect(fresh.posts).toBe(info.posts);
  });

  it('rebuilds its own index given by path when it is damaged or outdated (ownership proven)', async () => {
    const file = path.join(tempDir(), 'own.sqlite');
    const first = make();
    const before = await first.open(edgeArchive, { waitForIndex: true, indexFile: file });
    await first.close();
    const db = new Database(file);
    db.pragma('user_version = 99'); // "made by a newer Backfile": still Backfile's (application_id and meta table)
    db.close();
    expect(inspectIndexFile(file).kind).toBe('ours');
    const after = await make().open(edgeArchive, { waitForIndex: true, indexFile: file });
    expect(after.posts).toBe(before.posts);
  });

  it('a file Backfile created proves itself: application_id and meta table, written in one transaction', () => {
    const file = path.join(tempDir(), 'store.sqlite');
    IndexStore.open(file).close();
    expect(inspectIndexFile(file).kind).toBe('ours');
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'meta'").pluck().get()).toBe('meta');
    db.close();
  });

  it('IndexStore.open does not turn an empty database of another program into an index', () => {
    const file = path.join(tempDir(), 'empty-other.sqlite');
    otherAppDatabase(file, 'PRAGMA user_version = 3;');
    const before = fs.readFileSync(file);
    expect(() => IndexStore.open(file)).toThrow(/not a Backfile index/);
    expect(fs.readFileSync(file)).toEqual(before);
  });

  it('the CLI refuses --index pointing at a post or at another program\'s database, and changes neither', () => {
    const dir = tempDir();
    const archive = copyArchive(edgeArchive);
    const outsidePost = path.join(dir, 'post.md');
    fs.writeFileSync(outsidePost, POST);
    const db = path.join(dir, 'app.db');
    otherAppDatabase(db);
    const insidePost = path.join(archive, '_posts', fs.readdirSync(path.join(archive, '_posts')).find((n) => n.endsWith('.md'))!);
    for (const [indexFile, message] of [[outsidePost, /not a Backfile index/], [db, /not a Backfile index/], [insidePost, /inside the archive/]] as const) {
      const before = fs.readFileSync(indexFile);
      const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src-main/cli/main.ts'), 'search', archive, 'tea', '--index', indexFile], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(fs.readFileSync(indexFile)).toEqual(before);
    }
  }, 60_000);
});

describe('the index path Backfile chose', () => {
  it('is Backfile\'s only while its resolved file lies in Backfile\'s folder: a link there to a person\'s file is not', async () => {
    const dir = tempDir('backfile-chosen-');
    const root = path.join(dir, 'archive');
    const data = path.join(dir, 'data');
    fs.mkdirSync(root);
    fs.mkdirSync(data);
    const document = path.join(dir, 'my-document.sqlite');
    fs.writeFileSync(document, 'a person\'s file, not an index\n');
    fs.symlinkSync(document, path.join(data, 'linked.sqlite'));

    const linked = await locateIndex(root, undefined, () => path.join(data, 'linked.sqlite'));
    expect(linked).toEqual({ file: fs.realpathSync(document), chosenByBackfile: false });
    expect(await locateIndex(root, undefined, () => path.join(data, 'plain.sqlite')))
      .toEqual({ file: path.join(fs.realpathSync(data), 'plain.sqlite'), chosenByBackfile: true });
    // A data folder reached through a link stays Backfile's.
    fs.symlinkSync(data, path.join(dir, 'data-link'));
    expect(await locateIndex(root, undefined, () => path.join(dir, 'data-link', 'plain.sqlite')))
      .toMatchObject({ chosenByBackfile: true });
    // A person's choice never is.
    expect(await locateIndex(root, path.join(data, 'plain.sqlite'), () => path.join(data, 'plain.sqlite')))
      .toMatchObject({ chosenByBackfile: false });

    // Opened with that link as the chosen path: refused, and the file left as it was.
    const service = new ArchiveService({ indexPathFor: () => path.join(data, 'linked.sqlite') });
    await expect(service.open(root, { waitForIndex: true })).rejects.toMatchObject({ code: 'NOT_OURS' });
    await service.close();
    expect(fs.readFileSync(document, 'utf8')).toBe('a person\'s file, not an index\n');
  });
});
