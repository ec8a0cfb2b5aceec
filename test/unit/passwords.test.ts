import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PASSWORDS = pathToFileURL(resolve(dirname(fileURLToPath(import.meta.url)), '../../src/auth/passwords.ts')).href;

// A fresh process, so no earlier login has warmed anything: counts the scrypt derivations each of
// the first two unknown-email logins (verifyAgainstDummy) costs after the module is loaded.
const SCRIPT = `
  import crypto from 'node:crypto';
  import { syncBuiltinESMExports } from 'node:module';
  const scrypt = crypto.scrypt;
  let calls = 0;
  crypto.scrypt = (...args) => { calls++; return scrypt(...args); };
  syncBuiltinESMExports();
  const { verifyAgainstDummy } = await import(${JSON.stringify(PASSWORDS)});
  await new Promise((ok) => setTimeout(ok, 50));
  const counts = [];
  for (let i = 0; i < 2; i++) {
    calls = 0;
    await verifyAgainstDummy('someone-elses-password');
    counts.push(calls);
  }
  console.log(JSON.stringify(counts));
`;

describe('passwords', () => {
  it('makes the first unknown-email login cost what every later one does: one derivation', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'test', SHINE_FAST_KDF: '1' },
    });
    expect(run.status, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '')).to.deep.equal([1, 1]);
  });
});
