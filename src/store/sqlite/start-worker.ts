import { existsSync } from 'node:fs';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running `name` from this folder: the compiled .js next to this file, or, when
 * running the TypeScript sources (tests, benchmarks), its .ts source behind tsx's loader, which
 * Node 20 does not pass on to worker threads by itself.
 */
export function startWorker(name: string, options: WorkerOptions = {}): Worker {
  const js = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(js)) return new Worker(js, options);
  const ts = new URL(`./${name}.ts`, import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
