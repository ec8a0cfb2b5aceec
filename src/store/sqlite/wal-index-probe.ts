import { closeSync, openSync, readSync } from 'node:fs';

/** WalIndexHdr: the first of the two copies at the start of the -shm file. */
const HEADER_BYTES = 48;
const WAL_INDEX_VERSION = 3007000;

/**
 * Tells, for the price of one read(2), whether any connection may have committed to a WAL-mode
 * database since the last look.
 *
 * Every commit rewrites the WAL-index header at the start of the `-shm` file before COMMIT
 * returns: that header (its change counter, last frame and salts) is how every reader finds new
 * commits (https://sqlite.org/walformat.html, "the wal-index file format"). SQLite decides
 * whether its own page cache is stale the same way, comparing these bytes with its last copy
 * (walIndexTryHdr). So bytes equal to the last look mean nobody committed since. Anything else
 * counts as a change: a header being rewritten while read, a file that is missing or of another
 * version, an error. Callers then ask SQLite itself (PRAGMA data_version), which needs a read
 * transaction and two file-lock calls.
 *
 * The file stays as long as any connection to the database is open, and this process holds one
 * for as long as it uses the probe.
 */
export class WalIndexProbe {
  private fd: number | null = null;
  private readonly seen = Buffer.alloc(HEADER_BYTES);
  private readonly now = Buffer.alloc(HEADER_BYTES);
  private known = false;

  constructor(private readonly dbFile: string) {}

  /** False only when the header is byte for byte what the previous call read. */
  changed(): boolean {
    if (!this.read()) {
      this.known = false;
      return true;
    }
    if (this.known && this.now.equals(this.seen)) return false;
    this.now.copy(this.seen);
    this.known = this.now.readUInt32LE(0) === WAL_INDEX_VERSION || this.now.readUInt32BE(0) === WAL_INDEX_VERSION;
    return true;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private read(): boolean {
    try {
      // Opened on first use: SQLite creates the file with the first read transaction.
      this.fd ??= openSync(`${this.dbFile}-shm`, 'r');
      return readSync(this.fd, this.now, 0, HEADER_BYTES, 0) === HEADER_BYTES;
    } catch {
      return false;
    }
  }
}
