import { generateArchive } from '../../bench/generate-archive';
import { tempDir } from '../../helpers/temp';

/**
 * A synthetic archive of `posts` posts (the benchmark's generator, seeded: the same posts every run) in a temp
 * folder that is removed after the file's tests, once its servers have closed.
 */
export async function generatedArchive(prefix: string, posts: number, seed: number): Promise<string> {
  const dir = tempDir(prefix);
  await generateArchive(dir, posts, seed);
  return dir;
}
