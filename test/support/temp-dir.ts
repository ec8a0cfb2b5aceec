import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A directory of its own for each test of the calling suite, called in its body. It is made in
 * a beforeEach() hook registered here, so the suite's own beforeEach hooks, registered after
 * this call, can already use it. What a test opened in it is closed by `closeInIt` in the same
 * afterEach() hook, before the removal: the suite's own afterEach hooks would only run after it.
 *
 * Returns the current directory, or with `names`, a path in it: `dir('shine.db')`.
 */
export function useTempDir(prefix: string, closeInIt?: () => unknown): (...names: string[]) => string {
  let dir: string | null = null;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await closeInIt?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });
  return (...names) => {
    if (!dir) throw new Error(`the ${prefix} directory exists only during a test (it is made in a beforeEach() hook)`);
    return join(dir, ...names);
  };
}
