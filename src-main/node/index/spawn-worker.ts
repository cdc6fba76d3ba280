import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts one of Backfile's worker threads by name (`index-worker`). From source (`.ts`, under tsx or Vitest)
 * it goes through a small bootstrap that registers the TypeScript loader; from a bundle it loads the `.js`
 * file the bundler emitted next to this module.
 */
export function spawnWorker(name: string, data: unknown, resourceLimits?: ResourceLimits): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return new Worker(new URL('./ts-worker-bootstrap.mjs', here), {
      workerData: { entry: new URL(`./${name}.ts`, here).href, data },
      ...(resourceLimits ? { resourceLimits } : {}),
    });
  }
  // Next to this module, or one folder up should a bundler have put this module into a chunk folder.
  const candidates = [new URL(`./${name}.js`, here), new URL(`../${name}.js`, here)];
  const file = candidates.find((url) => existsSync(fileURLToPath(url))) ?? candidates[0]!;
  return new Worker(file, { workerData: { data }, ...(resourceLimits ? { resourceLimits } : {}) });
}
