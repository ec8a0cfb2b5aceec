import { close, fsync, open } from 'node:fs';
import { dirname } from 'node:path';

type Fsync = (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => void;

/**
 * Makes what was committed to the WAL durable without stopping the event loop. Group commits
 * run with synchronous=NORMAL, so COMMIT writes the WAL without waiting for the disk, and their
 * writes are answered only once `sync()` resolves: an fsync of the WAL file on libuv's thread
 * pool that started after the commit. Acknowledged writes therefore survive a power cut, as with
 * synchronous=FULL, and the event loop serves requests while the disk works. Calls arriving
 * while an fsync runs share the next one, so a busy disk sees one fsync at a time.
 */
export class WalSync {
  private fd: Promise<number> | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly walFile: string, private readonly fsyncFn: Fsync = fsync) {}

  /** Resolves once everything written to the WAL before this call is on disk. */
  sync(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) return this.run();
    // The fsync under way may have started before this caller's frames were written.
    const queued = this.running.then(noop, noop).then(() => {
      this.queued = null;
      return this.run();
    });
    this.queued = queued;
    return queued;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.queued]);
    const fd = this.fd;
    this.fd = null;
    if (fd) await fd.then((n) => new Promise<void>((ok) => close(n, () => ok())), noop);
  }

  private run(): Promise<void> {
    const p = this.open().then((fd) => new Promise<void>((ok, fail) => this.fsyncFn(fd, (err) => (err ? fail(err) : ok()))));
    this.running = p;
    const clear = () => {
      if (this.running === p) this.running = null;
    };
    p.then(clear, clear);
    return p;
  }

  /** The WAL file, opened once; its directory is synced once so the file itself is durable. */
  private open(): Promise<number> {
    this.fd ??= (async () => {
      const dir = await openFd(dirname(this.walFile));
      await new Promise<void>((ok, fail) => this.fsyncFn(dir, (err) => (err ? fail(err) : ok())));
      close(dir, noop);
      return openFd(this.walFile);
    })();
    // A failed open is retried by the next sync rather than remembered.
    this.fd.catch(() => {
      this.fd = null;
    });
    return this.fd;
  }
}

function openFd(path: string): Promise<number> {
  return new Promise((ok, fail) => open(path, 'r', (err, fd) => (err ? fail(err) : ok(fd))));
}

function noop(): void {}
