import { expect } from 'chai';
import type { Api } from '../support/api.js';
import { buildUser } from '../support/api.js';
import { forEachStore } from '../support/harness.js';

type Role = 'employee' | 'manager' | 'hr' | 'admin';
const ALL: Role[] = ['employee', 'manager', 'hr', 'admin'];
const HR: Role[] = ['hr', 'admin'];

/** [method, path, body, roles allowed]. Ids are filled in once the fixtures exist. */
type Row = [string, string, unknown, Role[]];

forEachStore('role matrix', (h) => {
  const clients = {} as Record<Role, Api>;
  let rows: Row[] = [];
  let display: string;

  before(async () => {
    for (const role of ALL) clients[role] = role === 'admin' ? h().admin : (await buildUser(h().admin, { role })).api;
    const target = await buildUser(h().admin, { team: 'Target' });
    const created = await h().admin.post('/api/v1/displays', { name: 'Lobby' });
    display = created.body.token;
    const displayId = created.body.id as string;
    let n = 0;
    rows = [
      ['GET', '/api/v1/me', undefined, ALL],
      ['GET', '/api/v1/users', undefined, ALL],
      ['GET', `/api/v1/users/${target.user.id}`, undefined, ALL],
      ['POST', '/api/v1/users', () => ({ name: 'New Person', email: `new${++n}@shine.test`, team: 'X' }), HR],
      ['PATCH', `/api/v1/users/${target.user.id}`, { team: 'Moved' }, HR],
      ['POST', '/api/v1/users/import', 'name,email,team,manager_email,role\n', HR],
      ['GET', '/api/v1/behaviours', undefined, ALL],
      ['POST', '/api/v1/behaviours', () => ({ key: `b-${++n}`, group: 'G', name: 'N', description: 'D' }), HR],
      ['PATCH', '/api/v1/behaviours/empathize', { description: 'Acknowledged feelings first.' }, HR],
      ['GET', '/api/v1/kudos', undefined, ALL],
      ['GET', '/api/v1/leaderboard', undefined, ALL],
      ['GET', '/api/v1/audit', undefined, HR],
      ['GET', '/api/v1/displays', undefined, ['admin']],
      ['POST', '/api/v1/displays', { name: 'Kitchen' }, ['admin']],
      ['PATCH', `/api/v1/displays/${displayId}`, { name: 'Lobby' }, ['admin']],
      ['GET', '/api/v1/teams', undefined, ALL],
    ];
  });

  it('lets each role use exactly the routes it may', async () => {
    for (const [method, path, body, allowed] of rows) {
      for (const role of ALL) {
        const payload = typeof body === 'function' ? (body as () => unknown)() : body;
        const headers = typeof payload === 'string' ? { 'content-type': 'text/csv' } : undefined;
        const res = await clients[role].request(method, path, payload, headers);
        const label = `${role} ${method} ${path} → ${res.status} ${res.text.slice(0, 120)}`;
        if (allowed.includes(role)) expect(res.status, label).to.be.within(200, 299);
        else {
          expect(res.status, label).to.equal(403);
          expect(res.body.error.code, label).to.be.a('string');
        }
      }
    }
  });

  it('lets a display token read the public feed and stats, and nothing else', async () => {
    const d = h().anon.as(display);
    expect((await d.get('/api/v1/kudos')).status).to.equal(200);
    expect((await d.get('/api/v1/display/stats')).status).to.equal(200);
    for (const [method, path, body] of rows.filter(([, p]) => p !== '/api/v1/kudos')) {
      const payload = typeof body === 'function' ? (body as () => unknown)() : body;
      const headers = typeof payload === 'string' ? { 'content-type': 'text/csv' } : undefined;
      const res = await d.request(method, path, payload, headers);
      expect(res.status, `${method} ${path}`).to.equal(403);
      expect(res.body.error.code).to.equal('display_forbidden');
    }
  });

  it('does not let anyone raise their own role, and only admins change roles', async () => {
    const hr = await buildUser(h().admin, { role: 'hr' });
    const me = (await hr.api.get('/api/v1/me')).body;
    const self = await hr.api.patch(`/api/v1/users/${me.id}`, { role: 'admin' });
    expect(self.status).to.equal(403);
    expect(self.body.error.code).to.equal('role_change_forbidden');
    const emp = await buildUser(h().admin);
    const other = await hr.api.patch(`/api/v1/users/${emp.user.id}`, { role: 'manager' });
    expect(other.status).to.equal(403);
    const createHr = await hr.api.post('/api/v1/users', { name: 'Sneaky', email: 'sneaky@shine.test', team: 'X', role: 'admin' });
    expect(createHr.status).to.equal(403);
    const own = await h().admin.get('/api/v1/me');
    const adminSelf = await h().admin.patch(`/api/v1/users/${own.body.id}`, { role: 'employee' });
    expect(adminSelf.status).to.equal(403);
    expect((await emp.api.patch('/api/v1/me', { role: 'admin' })).status).to.equal(400);
    expect((await emp.api.get('/api/v1/me')).body.role).to.equal('employee');
  });

  it('lets hr manage ordinary staff but not another hr or admin account', async () => {
    const hrA = await buildUser(h().admin, { role: 'hr' });
    const hrB = await buildUser(h().admin, { role: 'hr' });
    const emp = await buildUser(h().admin);
    for (const patch of [{ password: 'taken-over-123456' }, { active: false }, { email: `takeover.${Date.now()}@shine.test` }, { team: 'Elsewhere' }]) {
      const res = await hrA.api.patch(`/api/v1/users/${hrB.user.id}`, patch);
      expect(res.status, JSON.stringify(patch)).to.equal(403);
    }
    expect((await hrA.api.as(null).post('/api/v1/auth/login', { email: hrB.user.email, password: 'taken-over-123456' })).status).to.equal(401);
    const imported = await hrA.api.request('POST', '/api/v1/users/import', `name,email,team,manager_email,role\nHr Bee,${hrB.user.email},Moved,,\n`, { 'content-type': 'text/csv' });
    expect(imported.body.errors?.[0]?.message, imported.text).to.equal('only an admin can change an hr account');
    expect((await hrA.api.patch(`/api/v1/users/${emp.user.id}`, { team: 'Moved' })).status).to.equal(200);
    expect((await hrA.api.patch(`/api/v1/users/${hrA.user.id}`, { name: 'Hr Self' })).status, 'their own account').to.equal(200);
    expect((await h().admin.patch(`/api/v1/users/${hrB.user.id}`, { team: 'Moved' })).status, 'an admin may').to.equal(200);
  });

  it('makes hr and admins change their own password with the current one, as PATCH /me does', async () => {
    const hr = await buildUser(h().admin, { role: 'hr' });
    const self = await hr.api.patch(`/api/v1/users/${hr.user.id}`, { password: 'hijacked-password-1' });
    expect(self.status, self.text).to.equal(403);
    expect(self.body.error.code).to.equal('current_password_required');
    expect((await hr.api.get('/api/v1/me')).status, 'the session goes on').to.equal(200);
    expect((await hr.api.as(null).post('/api/v1/auth/login', { email: hr.user.email, password: 'hijacked-password-1' })).status).to.equal(401);
    const adminId = (await h().admin.get('/api/v1/me')).body.id;
    expect((await h().admin.patch(`/api/v1/users/${adminId}`, { password: 'hijacked-password-2' })).status).to.equal(403);
    expect((await hr.api.patch('/api/v1/me', { password: 'a-new-password-1', currentPassword: hr.password })).status).to.equal(200);
    const emp = await buildUser(h().admin);
    expect((await (await hr.api.as(null).login(hr.user.email, 'a-new-password-1')).patch(`/api/v1/users/${emp.user.id}`, { password: 'reset-by-hr-123' })).status, 'resetting someone else\'s').to.equal(200);
  });

  it('audits a role changed through the CSV import like one changed by hand', async () => {
    const person = await buildUser(h().admin);
    const csv = `name,email,team,manager_email,role\nPromoted Person,${person.user.email},Leads,,manager\n`;
    const res = await h().admin.request('POST', '/api/v1/users/import', csv, { 'content-type': 'text/csv' });
    expect(res.body, res.text).to.deep.include({ created: 0, updated: 1 });
    const audit = await h().admin.get('/api/v1/audit?limit=100');
    const entry = audit.body.items.find((e: { action: string; targetId: string }) => e.action === 'user.role_changed' && e.targetId === person.user.id);
    expect(entry?.details, audit.text).to.deep.include({ from: 'employee', to: 'manager', via: 'import' });
  });

  it('never shows other people\'s emails to employees or managers', async () => {
    const emp = await buildUser(h().admin);
    for (const role of ['employee', 'manager'] as const) {
      const list = await clients[role].get('/api/v1/users?limit=100');
      expect(list.status).to.equal(200);
      const others = list.body.items.filter((u: { id: string }) => u.id !== emp.user.id);
      expect(list.body.items.length).to.be.greaterThan(2);
      for (const u of list.body.items) {
        const self = (await clients[role].get('/api/v1/me')).body.id === u.id;
        if (!self) expect(u, role).not.to.have.property('email');
      }
      expect(others.length).to.be.greaterThan(0);
      const one = await clients[role].get(`/api/v1/users/${emp.user.id}`);
      expect(one.body).not.to.have.property('email');
    }
    const asHr = await clients.hr.get(`/api/v1/users/${emp.user.id}`);
    expect(asHr.body.email).to.equal(emp.user.email);
  });
});
