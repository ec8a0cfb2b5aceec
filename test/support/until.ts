/** Polls `ok` until it holds; after `timeoutMs` fails with what was awaited (a function: said as it stands then). */
export async function until(ok: () => boolean, timeoutMs: number, what: string | (() => string), everyMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
