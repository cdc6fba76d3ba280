/**
 * Changes, adds and deletes posts in a generated archive, for measuring an incremental index update.
 * Deterministic for a given archive and seed.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { int, mulberry32, seedFor } from './prng';
import { syntheticPost } from './synthetic-post';
import { sentence } from './synthetic-text';

export interface Mutation {
  change: number;
  add: number;
  delete: number;
}

export interface MutationResult {
  /** Archive-relative paths, `/`-separated. */
  changed: string[];
  added: string[];
  deleted: string[];
}

/** The last eight digits of a generated file name are the post's index. */
const INDEX_OF_NAME = /-\d{10}(\d{8})\.md$/;

export async function mutateArchive(dir: string, mutation: Mutation, seed = 7): Promise<MutationResult> {
  const existing = await listPosts(dir);
  if (mutation.change + mutation.delete > existing.length) {
    throw new Error(`cannot change ${mutation.change} and delete ${mutation.delete} of ${existing.length} posts`);
  }
  const rng = mulberry32(seedFor(seed, 0, 1));
  // Partial Fisher–Yates: the first change+delete entries become a random distinct sample.
  const sample = [...existing];
  for (let i = 0; i < mutation.change + mutation.delete; i++) {
    const j = int(rng, i, sample.length - 1);
    [sample[i], sample[j]] = [sample[j] as string, sample[i] as string];
  }
  const changed = sample.slice(0, mutation.change);
  const deleted = sample.slice(mutation.change, mutation.change + mutation.delete);

  for (const rel of changed) {
    // An edited post grows by a correction line, so its size changes as well as its modification time.
    await fs.appendFile(path.join(dir, rel), `\n（更正）${sentence(rng)}\n`);
  }
  for (const rel of deleted) await fs.rm(path.join(dir, rel));

  let nextIndex = 1 + existing.reduce((max, rel) => Math.max(max, Number(INDEX_OF_NAME.exec(rel)?.[1] ?? -1)), -1);
  const added: string[] = [];
  for (let i = 0; i < mutation.add; i++) {
    const post = syntheticPost(seed, nextIndex++);
    await fs.mkdir(path.dirname(path.join(dir, post.relPath)), { recursive: true });
    await fs.writeFile(path.join(dir, post.relPath), post.content);
    added.push(post.relPath);
  }
  return { changed, added, deleted };
}

/** Posts under `_posts/` (one level of category folders), sorted so the sample does not depend on readdir order. */
async function listPosts(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const folder of await fs.readdir(path.join(dir, '_posts'), { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const name of await fs.readdir(path.join(dir, '_posts', folder.name))) {
      if (name.endsWith('.md')) found.push(`_posts/${folder.name}/${name}`);
    }
  }
  return found.sort();
}
