import type { Config } from './config/config.js';

/** Error codes that mean the data directory (or the disk under it) cannot hold Shine's files. */
const DATA_DIR_CODES = /^(EACCES|EPERM|EROFS|ENOSPC|ENOTDIR|EISDIR|EDQUOT|SQLITE_(CANTOPEN|READONLY|FULL|IOERR|PERM|NOTADB|CORRUPT))/;

function codeOf(err: unknown): string | null {
  if (typeof err !== 'object' || err === null || !('code' in err)) return null;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/** The error and its causes, outermost first. */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && out.length < 10; e = e instanceof Error ? e.cause : undefined) out.push(e);
  return out;
}

/**
 * What an operator reads when start-up fails: one paragraph, no stack. A data directory the
 * process cannot write (a bind mount owned by root while the container runs as `node`, a
 * read-only or full disk) would otherwise surface as the store's "try again shortly", which
 * invites restarting a process that can never start.
 */
export function describeStartupFailure(err: unknown, config: Pick<Config, 'dataDir' | 'mongodbUri'>): string {
  const causes = chain(err);
  const fs = causes.find((e) => DATA_DIR_CODES.test(codeOf(e) ?? ''));
  const touchesDataDir = fs !== undefined && (config.mongodbUri === null || String((fs as { path?: unknown }).path ?? '').startsWith(config.dataDir));
  if (fs && touchesDataDir) {
    const uid = typeof process.getuid === 'function' ? ` (uid ${process.getuid()})` : '';
    return [
      `Shine could not start: the data directory SHINE_DATA_DIR (${config.dataDir}) is not usable: ${fs instanceof Error ? fs.message : String(fs)} (${codeOf(fs)}).`,
      `It must be a directory this process${uid} can create and write files in, on a disk with free space.`,
      'In Docker, mount a named volume at /data, or give a host directory to the image\'s user: chown 1000:1000 <dir>.',
    ].join('\n');
  }
  const last = causes.at(-1);
  const reasons = causes.map((e) => (e instanceof Error ? e.message : String(e)));
  const detail = last instanceof Error && !codeOf(last) ? `\n${last.stack ?? ''}` : '';
  return `Shine could not start: ${reasons.join(': ')}${detail}`;
}
