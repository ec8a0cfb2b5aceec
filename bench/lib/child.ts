import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * A TypeScript helper forked with tsx and an IPC channel, so the process that measures is never
 * the process that serves.
 */
export class Child<In, Out> {
  private constructor(readonly proc: ChildProcess, readonly name: string) {}

  static start<I, O>(file: string, name: string, env: Record<string, string> = {}): Child<I, O> {
    const proc = fork(file, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Child<I, O>(proc, name);
  }

  send(message: In): void {
    this.proc.send(message as object);
  }

  /** The next message matching `pred` (default: any), or a rejection after `timeoutMs` or on exit. */
  next<T extends Out>(pred: (m: Out) => m is T, timeoutMs = 60_000): Promise<T> {
    return new Promise((ok, fail) => {
      const onMessage = (m: unknown) => {
        if (!pred(m as Out)) return;
        cleanup();
        ok(m as T);
      };
      const onExit = (code: number | null) => {
        cleanup();
        fail(new Error(`${this.name} exited (${code}) while we waited for it`));
      };
      const timer = setTimeout(() => {
        cleanup();
        fail(new Error(`${this.name}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.proc.off('message', onMessage);
        this.proc.off('exit', onExit);
      };
      this.proc.on('message', onMessage);
      this.proc.once('exit', onExit);
    });
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');
    await once(this.proc, 'exit');
  }
}
