/** Writing an archive or a folder to import, file by file, for the tests that copy and import posts. */
import fs from 'node:fs/promises';
import path from 'node:path';

/** Writes `content` at `rel` (a '/'-separated path under `root`, folders made as needed); resolves with the file's path. */
export async function writeFileAt(root: string, rel: string, content: string | Buffer): Promise<string> {
  const file = path.join(root, ...rel.split('/'));
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content);
  return file;
}

/** Writes every file of `files` (path under `root` → content), one after another in the order given. */
export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) await writeFileAt(root, rel, content);
}
