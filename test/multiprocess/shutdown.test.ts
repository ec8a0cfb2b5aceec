import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '../support/api.js';
import { startShineProcess } from '../support/process.js';

describe('graceful shutdown (SIGTERM)', function () {
  this.timeout(60_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'shine-shutdown-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finishes the request in flight, exits 0, and the data is there after a restart', async () => {
    const first = await startShineProcess({ dataDir, name: 'shutdown' });
    const admin = await new Api(first.url).loginAdmin();
    const rows = ['name,email,team,manager_email,role'];
    for (let i = 0; i < 5000; i++) rows.push(`Leaving Person ${i},leaving${i}@shine.test,Team ${i % 7},,`);
    // A long import is in flight when the signal arrives: it must complete, not be cut off.
    const inFlight = admin.post('/api/v1/users/import', rows.join('\n'), { 'content-type': 'text/csv' });
    await new Promise((r) => setTimeout(r, 150));
    const code = first.stop();
    const res = await inFlight;
    expect(res.status, res.text.slice(0, 200)).to.equal(200);
    expect(res.body.created).to.equal(5000);
    expect(await code).to.equal(0);
    const second = await startShineProcess({ dataDir, name: 'after-shutdown' });
    try {
      const again = await new Api(second.url).loginAdmin();
      const found = await again.get('/api/v1/users?q=leaving%20person%204999');
      expect(found.body.items).to.have.length(1);
    } finally {
      await second.stop();
    }
  });
});
