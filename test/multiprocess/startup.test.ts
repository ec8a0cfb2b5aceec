import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShineProcess, sleep } from '../support/process.js';

/** Waits for a process that should refuse to start; returns its exit code and what it printed. */
async function refusal(p: ShineProcess): Promise<{ code: number | null; text: string }> {
  for (let i = 0; i < 200 && p.alive; i++) await sleep(50);
  const code = await p.stop();
  return { code, text: p.tail() };
}

describe('start-up with an unusable data directory', function () {
  this.timeout(30_000);
  const root = mkdtempSync(join(tmpdir(), 'shine-startup-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('names SHINE_DATA_DIR and the reason when the database file cannot be opened', async () => {
    // What a bind mount the container user cannot write looks like to sqlite (tests run as root,
    // so permissions would not stop them): the database path exists but cannot be opened.
    const dataDir = join(root, 'cantopen');
    mkdirSync(join(dataDir, 'shine.db'), { recursive: true });
    const { code, text } = await refusal(new ShineProcess({ dataDir, name: 'cantopen' }));
    expect(code, text).to.equal(1);
    expect(text).to.include(`SHINE_DATA_DIR (${dataDir})`).and.to.include('SQLITE_CANTOPEN');
    expect(text).not.to.include('try again shortly');
    expect(text).not.to.match(/^\s+at /m);
  });

  it('names SHINE_DATA_DIR when the directory cannot be created', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const dataDir = join(file, 'data');
    const p = new ShineProcess({ dataDir: root, name: 'enotdir', env: { SHINE_DATA_DIR: dataDir } });
    const { code, text } = await refusal(p);
    expect(code, text).to.equal(1);
    expect(text).to.include(`SHINE_DATA_DIR (${dataDir})`).and.to.include('ENOTDIR');
    expect(text).not.to.match(/^\s+at /m);
  });
});
