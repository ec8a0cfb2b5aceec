import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildUser } from '../support/api.js';
import { forEachStore } from '../support/harness.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/server.js';

forEachStore('auth', (h) => {
  const secret = () => readFileSync(join(h().server.dataDir, 'jwt-secret'), 'utf8').trim();

  it('logs in and returns a token, its expiry and the user', async () => {
    const res = await h().anon.post('/api/v1/auth/login', { email: ADMIN_EMAIL.toUpperCase(), password: ADMIN_PASSWORD });
    expect(res.status).to.equal(200);
    expect(res.body.token).to.be.a('string');
    expect(Date.parse(res.body.expiresAt)).to.be.greaterThan(Date.now());
    expect(res.body.user).to.include({ email: ADMIN_EMAIL, role: 'admin' });
    expect(res.body.user).not.to.have.property('passwordHash');
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const a = await h().anon.post('/api/v1/auth/login', { email: 'nobody@shine.test', password: 'whatever-password' });
    const b = await h().anon.post('/api/v1/auth/login', { email: ADMIN_EMAIL, password: 'wrong-password-1' });
    expect(a.status).to.equal(401);
    expect(b.status).to.equal(401);
    expect(a.body.error.code).to.equal('invalid_credentials');
    expect(b.body.error.code).to.equal(a.body.error.code);
    expect(b.body.error.message).to.equal(a.body.error.message);
  });

  it('answers 401 without a token on every protected route and 200 on health checks', async () => {
    for (const path of ['/api/v1/me', '/api/v1/users', '/api/v1/behaviours', '/api/v1/kudos', '/api/v1/audit', '/api/v1/displays']) {
      const res = await h().anon.get(path);
      expect(res.status, path).to.equal(401);
      expect(res.body.error.code, path).to.equal('unauthorized');
    }
    expect((await h().anon.get('/healthz')).status).to.equal(200);
    expect((await h().anon.get('/readyz')).status).to.equal(200);
    expect((await h().anon.get('/api/v1/healthz')).status).to.equal(200);
  });

  it('refuses a CSV import without a token before reading its body', async () => {
    // Over the 10 MB limit: a server that read it first would answer 413, not 401.
    const res = await fetch(`${h().server.url}/api/v1/users/import`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'x'.repeat(11 * 1024 * 1024) });
    expect(res.status).to.equal(401);
    expect((await res.json()).error.code).to.equal('unauthorized');
  });

  it('rejects expired, tampered, wrong-audience, wrong-issuer and alg:none tokens', async () => {
    const me = (await h().admin.get('/api/v1/me')).body;
    const claims = { tv: 0 };
    const base = { subject: me.id, issuer: 'shine', audience: 'shine-api' };
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, secret(), { subject: me.id, issuer: 'shine', audience: 'shine-api' });
    const wrongAud = jwt.sign(claims, secret(), { ...base, audience: 'someone-else', expiresIn: 60 });
    const wrongIss = jwt.sign(claims, secret(), { ...base, issuer: 'evil', expiresIn: 60 });
    const otherKey = jwt.sign(claims, 'x'.repeat(40), { ...base, expiresIn: 60 });
    const good = h().admin.token as string;
    const [head, payload] = good.split('.');
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload as string, 'base64url').toString()), sub: 'someone' })).toString('base64url')}.${good.split('.')[2]}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    for (const [name, token] of Object.entries({ expired, wrongAud, wrongIss, otherKey, tampered, none, garbage: 'not-a-jwt' })) {
      const res = await h().anon.as(token).get('/api/v1/me');
      expect(res.status, name).to.equal(401);
      expect(res.body.error.code, name).to.equal('invalid_token');
    }
    expect((await h().admin.get('/api/v1/me')).status).to.equal(200);
  });

  it('invalidates existing tokens when the password changes, and returns a fresh one', async () => {
    const { api, password } = await buildUser(h().admin);
    const wrong = await api.patch('/api/v1/me', { password: 'new-password-123', currentPassword: 'not-it-at-all' });
    expect(wrong.status).to.equal(422);
    expect(wrong.body.error.code).to.equal('wrong_password');
    const res = await api.patch('/api/v1/me', { password: 'new-password-123', currentPassword: password });
    expect(res.status).to.equal(200);
    expect(res.body.token).to.be.a('string');
    expect((await api.get('/api/v1/me')).status).to.equal(401);
    expect((await api.as(res.body.token).get('/api/v1/me')).status).to.equal(200);
  });

  it('signs out everywhere: every token of the account stops working, a fresh sign-in works', async () => {
    const a = await buildUser(h().admin);
    const otherDevice = await h().admin.as(null).login(a.user.email, a.password);
    expect((await h().anon.post('/api/v1/auth/logout')).status).to.equal(401);
    // A body it does not understand is refused, and signs nobody out.
    for (const body of [[{ $where: '1' }], { everywhere: true }, 'sign me out']) {
      const refused = await a.api.post('/api/v1/auth/logout', body, typeof body === 'string' ? { 'content-type': 'text/plain' } : {});
      expect(refused.status, JSON.stringify(body)).to.equal(400);
    }
    expect((await a.api.get('/api/v1/me')).status).to.equal(200);
    const out = await a.api.post('/api/v1/auth/logout');
    expect(out.status, out.text).to.equal(204);
    expect((await a.api.get('/api/v1/me')).status).to.equal(401);
    expect((await otherDevice.get('/api/v1/me')).status).to.equal(401);
    expect((await a.api.post('/api/v1/auth/logout')).status, 'a signed-out token cannot sign out again').to.equal(401);
    const back = await h().admin.as(null).login(a.user.email, a.password);
    expect((await back.get('/api/v1/me')).status).to.equal(200);
  });

  it('invalidates tokens on deactivation and on role change', async () => {
    const a = await buildUser(h().admin);
    const b = await buildUser(h().admin);
    expect((await h().admin.patch(`/api/v1/users/${a.user.id}`, { active: false })).status).to.equal(200);
    expect((await a.api.get('/api/v1/me')).status).to.equal(401);
    const relogin = await h().anon.post('/api/v1/auth/login', { email: a.user.email, password: a.password });
    expect(relogin.status).to.equal(401);
    expect((await h().admin.patch(`/api/v1/users/${b.user.id}`, { role: 'manager' })).status).to.equal(200);
    expect((await b.api.get('/api/v1/me')).status).to.equal(401);
  });

  it('rate-limits failed logins per email with 429 and Retry-After', async () => {
    const { user } = await buildUser(h().admin);
    let last = await h().anon.post('/api/v1/auth/login', { email: user.email, password: 'wrong-password-0' });
    for (let i = 1; i < 12 && last.status !== 429; i++) {
      last = await h().anon.post('/api/v1/auth/login', { email: user.email, password: `wrong-password-${i}` });
    }
    expect(last.status).to.equal(429);
    expect(last.body.error.code).to.equal('rate_limited');
    expect(Number(last.headers.get('retry-after'))).to.be.greaterThan(0);
  });

  it('tells a locked-out login when the window ends (Retry-After in seconds), not the limit', async () => {
    const { user } = await buildUser(h().admin);
    let last = await h().anon.post('/api/v1/auth/login', { email: user.email, password: 'wrong-password-0' });
    for (let i = 1; i < 12 && last.status !== 429; i++) {
      last = await h().anon.post('/api/v1/auth/login', { email: user.email, password: `wrong-password-${i}` });
    }
    expect(last.status).to.equal(429);
    // config/default.json: 10 failures per email in 900 s; the window began a moment ago.
    expect(Number(last.headers.get('retry-after'))).to.be.within(890, 900);
  });
});
