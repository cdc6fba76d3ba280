// Runs a TypeScript worker from source (tests, the CLI under tsx). Built apps load the bundled .js worker directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
