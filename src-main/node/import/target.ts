import fs from 'node:fs/promises';
import path from 'node:path';
import { copyFileAtomic, hashFile } from './atomic-copy';
import { freeName, nameKey } from './plan';
import { isInside } from '../fs-safety';

export type AttachmentOutcome = 'copied' | 'same' | 'clash';

/**
 * The archive side of an import: which names are taken in each destination folder (compared the way macOS and
 * Windows compare them, so `Post.md` and `post.md` clash), and copies that never replace a file.
 */
export class ImportTarget {
  /** Folder (its key) → name keys taken there → the name as written. */
  private readonly taken = new Map<string, Map<string, string>>();
  private readonly checkedFolders = new Map<string, string>();
  private readonly created: string[] = [];

  constructor(private readonly root: string, private readonly signal?: AbortSignal) {}

  /** Copies a post under `destRel`, or under the first free numbered name. */
  async placePost(sourceAbs: string, destRel: string): Promise<{ rel: string; renamed: boolean; sha256: string }> {
    const { dir, name } = split(destRel);
    const folder = await this.folder(dir);
    const names = await this.names(dir, folder);
    for (;;) {
      // The folder's names by key, as they are: copying them into a Set per post made a 100,000-file import O(n²).
      const candidate = freeName(name, names);
      names.set(nameKey(candidate), candidate);
      const result = await copyFileAtomic(sourceAbs, path.join(folder, candidate), { signal: this.signal });
      // Not written: a file of that name appeared since the folder was listed. Try the next name.
      if (result.written) return { rel: dir ? `${dir}/${candidate}` : candidate, renamed: candidate !== name, sha256: result.sha256 };
    }
  }

  /**
   * Copies a file a post refers to, under exactly `destRel` (the post finds it there). If that name is taken,
   * nothing is written: `same` when it holds the same bytes, `clash` otherwise.
   */
  async placeAttachment(sourceAbs: string, destRel: string): Promise<AttachmentOutcome> {
    const { dir, name } = split(destRel);
    const folder = await this.folder(dir);
    const names = await this.names(dir, folder);
    const existing = names.get(nameKey(name));
    if (existing === undefined) {
      names.set(nameKey(name), name);
      const result = await copyFileAtomic(sourceAbs, path.join(folder, name), { signal: this.signal });
      if (result.written) return 'copied';
    } else if (existing !== name) return 'clash';
    const [ours, theirs] = await Promise.all([hashFile(sourceAbs), hashFile(path.join(folder, name)).catch(() => null)]);
    return ours === theirs ? 'same' : 'clash';
  }

  /** Removes the folders this import created and left empty (a cancelled import leaves no trace). */
  async removeEmptyFolders(): Promise<void> {
    for (const folder of [...this.created].sort((a, b) => b.length - a.length)) await fs.rmdir(folder).catch(() => undefined);
  }

  /** Creates the destination folder and makes sure it is inside the archive (an `imported` link must not lead out). */
  private async folder(dir: string): Promise<string> {
    const known = this.checkedFolders.get(dir);
    if (known) return known;
    const abs = path.join(this.root, ...dir.split('/').filter(Boolean));
    const ancestors: string[] = [];
    for (let at = abs; at !== this.root && isInside(this.root, at); at = path.dirname(at)) ancestors.push(at);
    // Check before creating anything: the deepest folder that exists already must really be inside the archive.
    const existing = [...ancestors, this.root];
    let deepest = this.root;
    for (const at of existing) {
      const real = await fs.realpath(at).catch(() => null);
      if (real === null) continue;
      if (!isInside(this.root, real)) throw new Error(`${dir} leads outside the archive (a symbolic link); nothing written there`);
      deepest = at;
      break;
    }
    if (deepest !== abs) {
      const first = await fs.mkdir(abs, { recursive: true });
      if (first) this.created.push(...ancestors.filter((a) => isInside(first, a)));
    }
    this.checkedFolders.set(dir, abs);
    return abs;
  }

  private async names(dir: string, abs: string): Promise<Map<string, string>> {
    const key = dir.split('/').map(nameKey).join('/');
    let names = this.taken.get(key);
    if (!names) {
      names = new Map();
      for (const entry of await fs.readdir(abs)) names.set(nameKey(entry), entry);
      this.taken.set(key, names);
    }
    return names;
  }
}

function split(rel: string): { dir: string; name: string } {
  const slash = rel.lastIndexOf('/');
  return slash === -1 ? { dir: '', name: rel } : { dir: rel.slice(0, slash), name: rel.slice(slash + 1) };
}
