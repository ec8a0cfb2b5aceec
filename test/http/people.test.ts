import { expect } from 'chai';
import { Api, buildUser } from '../support/api.js';
import { forEachStore } from '../support/harness.js';
import { startTestServer } from '../support/server.js';

forEachStore('people and input handling', (h) => {
  const countUsers = async () => (await h().admin.get('/api/v1/users?limit=100&includeInactive=true')).body.items.length as number;

  it('creates, finds, updates and deactivates people', async () => {
    const created = await h().admin.post('/api/v1/users', { name: 'Ada Lovelace', email: 'ADA@Shine.test', team: 'Engines', password: 'analytical-engine' });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ name: 'Ada Lovelace', email: 'ada@shine.test', team: 'Engines', role: 'employee', initials: 'AL' });
    const dup = await h().admin.post('/api/v1/users', { name: 'Ada Again', email: 'ada@shine.test', team: 'Engines' });
    expect(dup.status).to.equal(409);
    expect(dup.body.error.code).to.equal('email_taken');
    const found = await h().admin.get('/api/v1/users?q=lovel');
    expect(found.body.items.map((u: { id: string }) => u.id)).to.deep.equal([created.body.id]);
    const byTeam = await h().admin.get('/api/v1/users?team=Engines');
    expect(byTeam.body.items).to.have.length(1);
    const moved = await h().admin.patch(`/api/v1/users/${created.body.id}`, { team: 'Analytics', name: 'Ada King' });
    expect(moved.body).to.include({ team: 'Analytics', name: 'Ada King' });
    const off = await h().admin.patch(`/api/v1/users/${created.body.id}`, { active: false });
    expect(off.body.active).to.equal(false);
    const employee = (await buildUser(h().admin)).api;
    expect((await employee.get(`/api/v1/users/${created.body.id}`)).status).to.equal(404);
    expect((await employee.get('/api/v1/users?q=ada%20king')).body.items).to.have.length(0);
  });

  it('lets only hr and admin find people by email (employees never see emails)', async () => {
    const secret = `quiet.${Date.now()}@hidden-domain.test`;
    const person = await h().admin.post('/api/v1/users', { name: 'Quinn Quiet', email: secret, team: 'Search' });
    expect(person.status, person.text).to.equal(201);
    const employee = (await buildUser(h().admin)).api;
    const hr = (await buildUser(h().admin, { role: 'hr' })).api;
    const q = encodeURIComponent('quiet.' + secret.split('.')[1]);
    expect((await employee.get(`/api/v1/users?q=${q}`)).body.items, 'by email, as an employee').to.have.length(0);
    expect((await employee.get('/api/v1/users?q=quinn%20qui')).body.items.map((u: { id: string }) => u.id)).to.deep.equal([person.body.id]);
    expect((await hr.get(`/api/v1/users?q=${q}`)).body.items.map((u: { id: string }) => u.id)).to.deep.equal([person.body.id]);
  });

  it('refuses names and messages that would render as something else: bidi overrides, lone surrogates, nothing visible', async () => {
    const someone = await buildUser(h().admin);
    const other = await buildUser(h().admin);
    for (const name of ['Mallory \u202E', 'Eve\u2066x', '\u200B', '\u200D\u2060\uFEFF', 'a\uD800b']) {
      const res = await someone.api.patch('/api/v1/me', { name });
      expect(res.status, JSON.stringify(name)).to.equal(400);
      expect(res.body.error.details[0].path).to.equal('name');
    }
    for (const message of ['\u200B', '\u2060 \uFEFF', 'a\uDC00b']) {
      const res = await someone.api.post('/api/v1/kudos', { recipientIds: [other.user.id], behaviourKeys: ['empathize'], message });
      expect(res.status, JSON.stringify(message)).to.equal(400);
    }
    expect((await someone.api.patch('/api/v1/me', { name: 'Zoë 李 مريم 😀' })).status).to.equal(200);
    const fine = await someone.api.post('/api/v1/kudos', { recipientIds: [other.user.id], behaviourKeys: ['empathize'], message: 'شكرا 👏 Zoë' });
    expect(fine.status, fine.text).to.equal(201);
  });

  it('pages through the directory without duplicates or gaps', async () => {
    for (let i = 0; i < 7; i++) await h().admin.post('/api/v1/users', { name: `Pager ${String.fromCharCode(65 + i)}`, email: `pager${i}@shine.test`, team: 'Pages' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string; name: string }[]; nextCursor: string | null } } = await h().admin.get(`/api/v1/users?team=Pages&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((u) => u.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).to.deep.equal(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((c) => `Pager ${c}`));
    const bad = await h().admin.get('/api/v1/users?cursor=not-a-cursor');
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('invalid_cursor');
  });

  it('rejects malformed JSON, wrong types, unknown fields and operator objects with 400, writing nothing', async () => {
    const before = await countUsers();
    const cases: [string, unknown][] = [
      ['{"name": "x", ', '{"name": "x", '],
      ['wrong type', { name: 42, email: 'a@b.co', team: 'T' }],
      ['unknown field', { name: 'A B', email: 'ab@shine.test', team: 'T', isAdmin: true }],
      ['operator in email', { name: 'A B', email: { $gt: '' }, team: 'T' }],
      ['operator in name', { name: { $ne: null }, email: 'ab@shine.test', team: 'T' }],
      ['proto key', JSON.parse('{"name":"A B","email":"ab2@shine.test","team":"T","__proto__":{"role":"admin"}}')],
      ['array body', [{ name: 'A B', email: 'ab3@shine.test', team: 'T' }]],
    ];
    for (const [label, body] of cases) {
      const res = await h().admin.post('/api/v1/users', typeof body === 'string' ? body : JSON.stringify(body));
      expect(res.status, label).to.equal(400);
      expect(res.body.error, label).to.have.keys('code', 'message', 'details', 'requestId');
    }
    // An unknown field is named in details, as a wrong one is, so a client can point at it.
    const unknown = await h().admin.post('/api/v1/users', { name: 'A B', email: 'ab@shine.test', team: 'T', isAdmin: true, nested: { x: 1 } });
    expect(unknown.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['isAdmin', 'nested']);
    const unknownQuery = await h().admin.get('/api/v1/kudos?colour=red');
    expect(unknownQuery.status).to.equal(400);
    expect(unknownQuery.body.error.details).to.deep.equal([{ path: 'colour', message: 'not a field of this request' }]);
    const kudos = await h().admin.post('/api/v1/kudos', { recipientIds: [{ $gt: '' }], behaviourKeys: ['empathize'], message: 'x' });
    expect(kudos.status).to.equal(400);
    expect(kudos.body.error.details[0].path).to.equal('recipientIds.0');
    const q = await h().admin.get('/api/v1/users?q[$gt]=');
    expect(q.status).to.equal(400);
    expect(await countUsers()).to.equal(before);
  });

  it('answers 413 for bodies over 64 KiB, 415-style 400 for other content types, 404 JSON for unknown routes', async () => {
    const big = await h().admin.post('/api/v1/users', { name: 'x'.repeat(70 * 1024), email: 'big@shine.test', team: 'T' });
    expect(big.status).to.equal(413);
    expect(big.body.error.code).to.equal('payload_too_large');
    const text = await h().admin.post('/api/v1/users', 'name=x', { 'content-type': 'text/plain' });
    expect(text.status).to.equal(400);
    const missing = await h().admin.get('/api/v1/no/such/route');
    expect(missing.status).to.equal(404);
    expect(missing.body.error.code).to.equal('route_not_found');
  });

  it('echoes X-Request-Id and generates one otherwise', async () => {
    const res = await h().admin.get('/api/v1/me', { 'x-request-id': 'trace-abc-123' });
    expect(res.headers.get('x-request-id')).to.equal('trace-abc-123');
    const gen = await h().admin.get('/api/v1/me');
    expect(gen.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('imports people from CSV: upsert by email, managers by email, per-line errors, no partial rows', async () => {
    await h().admin.post('/api/v1/users', { name: 'Existing One', email: 'existing@shine.test', team: 'Old' });
    const csv = [
      'name,email,team,manager_email,role',
      'Maria Boss,maria@shine.test,Sales,,manager',
      'Sam Seller,sam@shine.test,Sales,maria@shine.test,',
      'Existing One,existing@shine.test,New Team,maria@shine.test,',
      'Broken,not-an-email,Sales,,',
      'Too,many,fields,here,employee,extra',
      'Orphan,orphan@shine.test,Sales,ghost@shine.test,',
      '"Quote, Comma",quote@shine.test,"Sales, EMEA",,',
      'Bad Role,badrole@shine.test,Sales,,emperor',
    ].join('\n');
    const res = await h().admin.post('/api/v1/users/import', csv, { 'content-type': 'text/csv' });
    expect(res.status).to.equal(200);
    expect(res.body.created).to.equal(3);
    expect(res.body.updated).to.equal(1);
    expect(res.body.errors.map((e: { line: number }) => e.line)).to.deep.equal([5, 6, 7, 9]);
    const users = (await h().admin.get('/api/v1/users?limit=100')).body.items as { email: string; team: string; id: string; managerId: string | null; role: string }[];
    const by = (e: string) => users.find((u) => u.email === e);
    expect(by('existing@shine.test')?.team).to.equal('New Team');
    expect(by('sam@shine.test')?.managerId).to.equal(by('maria@shine.test')?.id);
    expect(by('maria@shine.test')?.role).to.equal('manager');
    expect(by('quote@shine.test')?.team).to.equal('Sales, EMEA');
    expect(by('orphan@shine.test')).to.equal(undefined);
    expect(by('badrole@shine.test')).to.equal(undefined);
    const header = await h().admin.post('/api/v1/users/import', 'who,what\nx,y', { 'content-type': 'text/csv' });
    expect(header.status).to.equal(400);
    expect(header.body.error.code).to.equal('invalid_csv');
  });

  it('keeps people\'s managers when the CSV has no manager_email column, and removes one for an empty cell', async () => {
    const boss = await h().admin.post('/api/v1/users', { name: 'Kept Boss', email: 'keptboss@shine.test', team: 'Ops', role: 'manager' });
    const report = await h().admin.post('/api/v1/users', { name: 'Kept Report', email: 'keptreport@shine.test', team: 'Ops', managerId: boss.body.id });
    const other = await h().admin.post('/api/v1/users', { name: 'Cleared Report', email: 'clearedreport@shine.test', team: 'Ops', managerId: boss.body.id });
    const renamed = await h().admin.post('/api/v1/users/import', 'name,email,team\nKept Report,keptreport@shine.test,Field Ops\n', { 'content-type': 'text/csv' });
    expect(renamed.body).to.deep.equal({ created: 0, updated: 1, errors: [] });
    const kept = (await h().admin.get(`/api/v1/users/${report.body.id}`)).body;
    expect([kept.team, kept.managerId]).to.deep.equal(['Field Ops', boss.body.id]);

    const cleared = await h().admin.post('/api/v1/users/import', 'name,email,team,manager_email\nCleared Report,clearedreport@shine.test,Ops,\n', { 'content-type': 'text/csv' });
    expect(cleared.body.updated).to.equal(1);
    expect((await h().admin.get(`/api/v1/users/${other.body.id}`)).body.managerId).to.equal(null);
  });

  it('refuses a CSV header that names a column twice, instead of letting the last one win', async () => {
    const csv = 'name,email,team,Name\nFirst Name,twice@shine.test,Support,Second Name\n';
    const res = await h().admin.post('/api/v1/users/import', csv, { 'content-type': 'text/csv' });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('invalid_csv');
    expect(res.body.error.details).to.deep.include({ path: 'header', message: 'column name appears more than once' });
    expect((await h().admin.get('/api/v1/users?q=twice@shine.test&includeInactive=true')).body.items).to.deep.equal([]);
  });

  it('answers 400 unsupported_media_type for an import not sent as text/csv, writing nothing', async () => {
    const csv = 'name,email,team,manager_email,role\nWrong Type,wrongtype@shine.test,Ops,,';
    for (const type of ['application/json', 'text/plain']) {
      const res = await h().admin.request('POST', '/api/v1/users/import', type === 'application/json' ? JSON.stringify({ csv }) : csv, { 'content-type': type });
      expect(res.status, type).to.equal(400);
      expect(res.body.error.code, type).to.equal('unsupported_media_type');
    }
    expect((await h().admin.get('/api/v1/users?q=wrongtype&includeInactive=true')).body.items).to.deep.equal([]);
  });

  it('refuses reporting lines that loop, through PATCH and through the import', async () => {
    const make = async (name: string) => (await h().admin.post('/api/v1/users', { name, email: `${name.toLowerCase().replace(' ', '.')}@shine.test`, team: 'Loops' })).body as { id: string; email: string };
    const [a, b, c] = [await make('Loop Anna'), await make('Loop Ben'), await make('Loop Cleo')];
    expect((await h().admin.patch(`/api/v1/users/${b.id}`, { managerId: a.id })).status).to.equal(200);
    expect((await h().admin.patch(`/api/v1/users/${c.id}`, { managerId: b.id })).status).to.equal(200);
    for (const managerId of [c.id, b.id]) {
      const loop = await h().admin.patch(`/api/v1/users/${a.id}`, { managerId });
      expect(loop.status).to.equal(422);
      expect(loop.body.error.code).to.equal('invalid_manager');
      expect(loop.body.error.details).to.deep.equal([{ path: 'managerId', message: 'would make a reporting loop' }]);
    }
    expect((await h().admin.get(`/api/v1/users/${a.id}`)).body.managerId).to.equal(null);
    // Down the line is fine: Cleo may report to Anna directly.
    expect((await h().admin.patch(`/api/v1/users/${c.id}`, { managerId: a.id })).status).to.equal(200);

    const csv = [
      'name,email,team,manager_email,role',
      `Loop Anna,${a.email},Loops,${c.email},`, // Cleo reports to Anna: a loop with what is stored
      'Loop Xena,loop.xena@shine.test,Loops,loop.yuri@shine.test,', // Xena and Yuri: a loop within the file
      'Loop Yuri,loop.yuri@shine.test,Loops,loop.xena@shine.test,',
      'Loop Zoe,loop.zoe@shine.test,Loops,loop.xena@shine.test,', // under a rejected new manager
      `Loop Ben,${b.email},Loops,${a.email},`, // unchanged and fine
    ].join('\n');
    const res = await h().admin.post('/api/v1/users/import', csv, { 'content-type': 'text/csv' });
    expect(res.status).to.equal(200);
    expect(res.body.errors.map((e: { line: number }) => e.line)).to.deep.equal([2, 3, 4, 5]);
    expect(res.body.errors[0].message).to.match(/reporting lines cannot loop/);
    expect(res.body.errors[3].message).to.match(/was not imported/);
    expect(res.body.updated).to.equal(1);
    expect(res.body.created).to.equal(0);
    expect((await h().admin.get(`/api/v1/users/${a.id}`)).body.managerId).to.equal(null);
  });

  it('tells a report whose manager\'s row could not be read which line that was', async () => {
    const csv = [
      'name,email,team,manager_email,role',
      'Unreadable Boss,Unreadable.Boss@shine.test,,,', // no team: refused as it is read
      'Under Unreadable,under.unreadable@shine.test,Ops,unreadable.boss@shine.test,',
    ].join('\n');
    const res = await h().admin.post('/api/v1/users/import', csv, { 'content-type': 'text/csv' });
    expect(res.status).to.equal(200);
    expect(res.body.errors).to.have.length(2);
    expect(res.body.errors[0].line).to.equal(2);
    expect(res.body.errors[1]).to.deep.equal({ line: 3, message: 'manager unreadable.boss@shine.test was not imported (line 2)' });
  });

  it('imports no one under a deactivated manager, even one listed in the same file (import never reactivates)', async () => {
    const gone = await h().admin.post('/api/v1/users', { name: 'Gone Boss', email: 'goneboss@shine.test', team: 'Ops' });
    expect((await h().admin.patch(`/api/v1/users/${gone.body.id}`, { active: false })).status).to.equal(200);
    // The API refuses such a manager (422 invalid_manager); the import must too.
    const direct = await h().admin.post('/api/v1/users', { name: 'Direct Report', email: 'direct@shine.test', team: 'Ops', managerId: gone.body.id });
    expect(direct.status).to.equal(422);
    const csv = [
      'name,email,team,manager_email,role',
      'Gone Boss,goneboss@shine.test,Ops,,',
      'Under Gone,undergone@shine.test,Ops,goneboss@shine.test,',
    ].join('\n');
    const res = await h().admin.post('/api/v1/users/import', csv, { 'content-type': 'text/csv' });
    expect(res.status).to.equal(200);
    expect(res.body.updated).to.equal(1);
    expect(res.body.created).to.equal(0);
    expect(res.body.errors.map((e: { line: number }) => e.line)).to.deep.equal([3]);
    const users = (await h().admin.get('/api/v1/users?includeInactive=true&limit=100')).body.items as { email: string; active: boolean }[];
    expect(users.find((u) => u.email === 'goneboss@shine.test')?.active).to.equal(false);
    expect(users.find((u) => u.email === 'undergone@shine.test')).to.equal(undefined);
  });

  it('refuses a CSV that is not UTF-8 (Excel\'s Windows-1252 "CSV") instead of saving garbled names, and reads it with its charset', async () => {
    // "Renée Müller" and "José" as Excel's plain CSV writes them: one byte each for é, ü.
    const bytes = Buffer.from('name,email,team\nRen\xe9e M\xfcller,renee@shine.test,Support\nJos\xe9 Lima,jose@shine.test,Support\n', 'latin1');
    const send = (type: string) =>
      fetch(`${h().admin.baseUrl}/api/v1/users/import`, { method: 'POST', headers: { authorization: `Bearer ${h().admin.token}`, 'content-type': type }, body: bytes });
    const res = await send('text/csv');
    expect(res.status).to.equal(400);
    const body = (await res.json()) as { error: { code: string; message: string; details: { path: string }[] } };
    expect(body.error.code).to.equal('invalid_csv');
    expect(body.error.message).to.contain('UTF-8');
    expect(body.error.details.map((d) => d.path)).to.deep.equal(['line 2', 'line 3']);
    expect((await h().admin.get('/api/v1/users?q=renee@shine.test&includeInactive=true')).body.items).to.deep.equal([]);

    const labelled = await send('text/csv; charset=windows-1252');
    expect(labelled.status).to.equal(200);
    const found = await h().admin.get('/api/v1/users?q=renee@shine.test');
    expect(found.body.items.map((u: { name: string }) => u.name)).to.deep.equal(['Renée Müller']);
  });

  it('imports 5,000 rows', async function () {
    this.timeout(60_000);
    const lines = ['name,email,team,manager_email,role'];
    for (let i = 0; i < 5000; i++) lines.push(`Bulk Person ${i},bulk${i}@shine.test,Team ${i % 40},${i > 0 ? 'bulk0@shine.test' : ''},`);
    const res = await h().admin.post('/api/v1/users/import', lines.join('\n'), { 'content-type': 'text/csv' });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ created: 5000, updated: 0, errors: [] });
  });

  it('seeds the behaviour catalog and lets HR add, edit and retire behaviours', async () => {
    const list = await h().admin.get('/api/v1/behaviours');
    expect(list.body.length).to.be.at.least(25);
    const groups = new Set(list.body.map((b: { group: string }) => b.group));
    expect([...groups]).to.have.members(['Make the Customer #1', 'Appropriate Attitude', 'Determine Customer Needs', 'Build Relationships', 'Effective Problem Resolution']);
    expect(list.body.every((b: { weight: number; active: boolean }) => b.weight === 1 && b.active)).to.equal(true);
    const add = await h().admin.post('/api/v1/behaviours', { key: 'broad-knowledge', group: 'BE SURE', name: 'Broad product knowledge', description: 'Knows the range.' });
    expect(add.status).to.equal(201);
    expect((await h().admin.post('/api/v1/behaviours', { key: 'broad-knowledge', group: 'G', name: 'N', description: 'D' })).status).to.equal(409);
    const retired = await h().admin.patch('/api/v1/behaviours/broad-knowledge', { active: false, weight: 2 });
    expect(retired.body).to.include({ active: false, weight: 2 });
    const after = await h().admin.get('/api/v1/behaviours');
    expect(after.body.find((b: { key: string }) => b.key === 'broad-knowledge').active).to.equal(false);
    expect((await h().admin.patch('/api/v1/behaviours/no-such', { weight: 1 })).status).to.equal(404);
    expect((await h().admin.patch('/api/v1/behaviours/empathize', { weight: 9 })).status).to.equal(400);
  });
});

describe('restart on the same data dir', () => {
  it('keeps users and sessions', async () => {
    const first = await startTestServer();
    const admin = await new Api(first.url).loginAdmin();
    const { user, api } = await buildUser(admin, { name: 'Persistent Pat' });
    await first.close({ keepData: true });
    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      const me = await new Api(second.url, api.token).get('/api/v1/me');
      expect(me.status).to.equal(200);
      expect(me.body.id).to.equal(user.id);
      expect(me.body.name).to.equal('Persistent Pat');
    } finally {
      await second.close();
    }
  });
});
