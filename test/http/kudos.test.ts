import { expect } from 'chai';
import type { Api } from '../support/api.js';
import { buildUser } from '../support/api.js';
import { forEachStore } from '../support/harness.js';

interface KudosView {
  id: string;
  giver: { id: string };
  recipients: { id: string; name: string }[];
  behaviours: { key: string }[];
  message: string;
  visibility: string;
  reactions: Record<string, number>;
  myReactions: string[];
  commentCount: number;
  createdAt: string;
}

forEachStore('kudos', (h) => {
  let alice: { user: { id: string }; api: Api };
  let bob: { user: { id: string }; api: Api };
  let carol: { user: { id: string }; api: Api };
  let hr: { user: { id: string }; api: Api };
  const give = (api: Api, body: Record<string, unknown>, headers?: Record<string, string>) =>
    api.post<KudosView>('/api/v1/kudos', { behaviourKeys: ['empathize'], message: 'Thank you!', ...body }, headers);

  before(async () => {
    alice = await buildUser(h().admin, { name: 'Alice Able', team: 'Support' });
    bob = await buildUser(h().admin, { name: 'Bob Baker', team: 'Support' });
    carol = await buildUser(h().admin, { name: 'Carol Crane', team: 'Sales' });
    hr = await buildUser(h().admin, { name: 'Hank Hr', team: 'People', role: 'hr' });
  });

  it('posts a kudos and returns the documented view, message stored exactly', async () => {
    const message = '  Merci beaucoup 🙏🏽 — «great» save, 日本語 too  ';
    const res = await give(alice.api, { recipientIds: [bob.user.id, carol.user.id], behaviourKeys: ['take-ownership', 'empathize'], message });
    expect(res.status).to.equal(201);
    const k = res.body;
    expect(k).to.have.keys('id', 'giver', 'recipients', 'behaviours', 'message', 'visibility', 'createdAt', 'reactions', 'myReactions', 'commentCount');
    expect(k.message).to.equal(message.trim());
    expect(k.recipients.map((r) => r.id)).to.deep.equal([bob.user.id, carol.user.id]);
    expect(k.behaviours.map((b) => b.key)).to.deep.equal(['take-ownership', 'empathize']);
    expect(k.giver.id).to.equal(alice.user.id);
    expect(k.visibility).to.equal('public');
    expect((await bob.api.get(`/api/v1/kudos/${k.id}`)).body).to.deep.equal(k);
  });

  it('limits how many kudos one person posts per minute (429 with Retry-After), per person', async () => {
    const flood = await buildUser(h().admin, { team: 'Support' });
    const posts = await Promise.all(Array.from({ length: 30 }, (_, i) => give(flood.api, { recipientIds: [bob.user.id], message: `Flood ${i}` })));
    expect(posts.map((p) => p.status)).to.deep.equal(Array.from({ length: 30 }, () => 201));
    const refused = await give(flood.api, { recipientIds: [bob.user.id] });
    expect(refused.status).to.equal(429);
    expect((refused.body as unknown as { error: { code: string } }).error.code).to.equal('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
    expect((await give(alice.api, { recipientIds: [bob.user.id] })).status, 'others are not limited').to.equal(201);
    h().clock.advance(60_001);
    expect((await give(flood.api, { recipientIds: [bob.user.id] })).status).to.equal(201);
  });

  it('enforces every rule with its own code', async () => {
    type ErrorBody = { error?: { code: string; details: { path: string }[] } };
    const expectCode = async (p: Promise<{ status: number; body: unknown }>, status: number, code: string, path?: string) => {
      const res = await p;
      const body = res.body as ErrorBody;
      expect(res.status, code).to.equal(status);
      expect(body.error?.code).to.equal(code);
      if (path) expect(body.error?.details.map((d) => d.path)).to.include(path);
    };
    await expectCode(give(alice.api, { recipientIds: [bob.user.id, alice.user.id] }), 422, 'self_kudos', 'recipientIds.1');
    await expectCode(give(alice.api, { recipientIds: ['NOSUCHUSER'] }), 422, 'recipient_inactive', 'recipientIds.0');
    const gone = await buildUser(h().admin);
    await h().admin.patch(`/api/v1/users/${gone.user.id}`, { active: false });
    await expectCode(give(alice.api, { recipientIds: [gone.user.id] }), 422, 'recipient_inactive', 'recipientIds.0');
    await expectCode(give(alice.api, { recipientIds: [bob.user.id], behaviourKeys: ['no-such-thing'] }), 422, 'behaviour_inactive', 'behaviourKeys.0');
    await h().admin.post('/api/v1/behaviours', { key: 'old-way', group: 'G', name: 'Old', description: 'Retired soon', active: false });
    await expectCode(give(alice.api, { recipientIds: [bob.user.id], behaviourKeys: ['empathize', 'old-way'] }), 422, 'behaviour_inactive', 'behaviourKeys.1');
    await expectCode(give(alice.api, { recipientIds: [] }), 400, 'invalid_request', 'recipientIds');
    await expectCode(give(alice.api, { recipientIds: Array.from({ length: 21 }, (_, i) => `U${i}`) }), 400, 'invalid_request', 'recipientIds');
    await expectCode(give(alice.api, { recipientIds: [bob.user.id, bob.user.id] }), 400, 'invalid_request', 'recipientIds');
    await expectCode(give(alice.api, { recipientIds: [bob.user.id], behaviourKeys: [] }), 400, 'invalid_request', 'behaviourKeys');
    await expectCode(give(alice.api, { recipientIds: [bob.user.id], behaviourKeys: ['a', 'b', 'c', 'd', 'e', 'f'] }), 400, 'invalid_request', 'behaviourKeys');
    await expectCode(give(alice.api, { recipientIds: [bob.user.id], message: '   ' }), 400, 'invalid_request', 'message');
    await expectCode(give(alice.api, { recipientIds: [bob.user.id], message: 'x'.repeat(1001) }), 400, 'invalid_request', 'message');
    await expectCode(give(alice.api, { recipientIds: [bob.user.id], visibility: 'secret' }), 400, 'invalid_request', 'visibility');
    expect((await give(alice.api, { recipientIds: [bob.user.id], message: 'x'.repeat(1000) })).status).to.equal(201);
    // Characters are code points, as the composer counts them: an emoji is one, a combining accent one more.
    expect((await give(alice.api, { recipientIds: [bob.user.id], message: '😀'.repeat(1000) })).status).to.equal(201);
    await expectCode(give(alice.api, { recipientIds: [bob.user.id], message: '😀'.repeat(1001) }), 400, 'invalid_request', 'message');
    await expectCode(give(alice.api, { recipientIds: [bob.user.id], message: 'e\u0301'.repeat(501) }), 400, 'invalid_request', 'message');
  });

  it('answers a wrong-typed field with its type error alone, not with its length rules too', async () => {
    // Zod runs length checks on anything with a length: a 30-character string or an object with
    // `length` also got "at most 20 recipients", as if an array had been sent.
    for (const recipientIds of ['abc', 'x'.repeat(30), { length: 30 }]) {
      const res = await give(alice.api, { recipientIds });
      expect(res.status).to.equal(400);
      expect(res.body).to.have.nested.property('error.code', 'invalid_request');
      const details = (res.body as unknown as { error: { details: { path: string; message: string }[] } }).error.details;
      expect(details, JSON.stringify(recipientIds)).to.have.length(1);
      expect(details[0]).to.include({ path: 'recipientIds' });
      expect(details[0]!.message).to.match(/expected array/);
    }
    // Six behaviour keys sent as one six-letter string: a wrong type, not too many behaviours.
    const res = await give(alice.api, { recipientIds: [bob.user.id], behaviourKeys: 'x'.repeat(6) });
    expect((res.body as unknown as { error: { details: unknown[] } }).error.details).to.have.length(1);
  });

  it('returns the first answer for a repeated Idempotency-Key and writes nothing new', async () => {
    const key = `key-${Date.now()}`;
    const first = await give(alice.api, { recipientIds: [carol.user.id], message: 'once only' }, { 'idempotency-key': key });
    const again = await give(alice.api, { recipientIds: [carol.user.id], message: 'once only' }, { 'idempotency-key': key });
    expect(first.status).to.equal(201);
    expect(again.status).to.equal(201);
    expect(again.body).to.deep.equal(first.body);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    const feed = await alice.api.get<{ items: KudosView[] }>(`/api/v1/kudos?giver=${alice.user.id}&recipient=${carol.user.id}&limit=100`);
    expect(feed.body.items.filter((k) => k.message === 'once only')).to.have.length(1);
    // The same key with another kudos is not a retry: refused, and nothing written.
    for (const change of [{ message: 'something else' }, { recipientIds: [bob.user.id] }, { behaviourKeys: ['apologize'] }, { visibility: 'private' }]) {
      const reused = await give(alice.api, { recipientIds: [carol.user.id], message: 'once only', ...change }, { 'idempotency-key': key });
      expect(reused.status, JSON.stringify(change)).to.equal(422);
      expect((reused.body as unknown as { error: { code: string } }).error.code).to.equal('idempotency_key_reused');
    }
    expect((await alice.api.get<{ items: KudosView[] }>(`/api/v1/kudos?giver=${alice.user.id}&limit=100`)).body.items[0]?.id).to.equal(first.body.id);
    // The same key from another user is theirs alone.
    const other = await give(bob.api, { recipientIds: [carol.user.id], message: 'once only' }, { 'idempotency-key': key });
    expect(other.body.id).not.to.equal(first.body.id);
    // Racing retries all get the one kudos: its key lives in its own write.
    const parallel = await Promise.all(Array.from({ length: 5 }, () => give(carol.api, { recipientIds: [alice.user.id], message: 'racing' }, { 'idempotency-key': 'race-1' })));
    expect(parallel.map((r) => r.status)).to.deep.equal([201, 201, 201, 201, 201]);
    expect(new Set(parallel.map((r) => r.body.id)).size).to.equal(1);
    const racing = await carol.api.get<{ items: KudosView[] }>(`/api/v1/kudos?giver=${carol.user.id}&limit=100`);
    expect(racing.body.items.filter((k) => k.message === 'racing')).to.have.length(1);
  });

  it('shows private kudos only to giver, recipients, hr and admin', async () => {
    const dave = await buildUser(h().admin, { team: 'Support' });
    const manager = await buildUser(h().admin, { role: 'manager' });
    const res = await give(alice.api, { recipientIds: [bob.user.id], visibility: 'private', message: 'just between us' });
    const id = res.body.id;
    for (const [who, api, sees] of [
      ['giver', alice.api, true], ['recipient', bob.api, true], ['hr', hr.api, true], ['admin', h().admin, true],
      ['colleague', dave.api, false], ['manager', manager.api, false],
    ] as const) {
      const one = await api.get(`/api/v1/kudos/${id}`);
      expect(one.status, who).to.equal(sees ? 200 : 404);
      const feed = await api.get<{ items: KudosView[] }>('/api/v1/kudos?limit=100');
      expect(feed.body.items.some((k) => k.id === id), who).to.equal(sees);
      expect((await api.post(`/api/v1/kudos/${id}/reactions`, { emoji: '👏' })).status, who).to.equal(sees ? 201 : 404);
    }
  });

  it('filters the feed by recipient, giver, team, behaviour and time, combined with AND', async () => {
    const t0 = new Date(h().clock.now()).toISOString();
    const x = await buildUser(h().admin, { team: 'Filters' });
    const y = await buildUser(h().admin, { team: 'Filters' });
    h().clock.advance(1000);
    const a = (await give(x.api, { recipientIds: [y.user.id], behaviourKeys: ['apologize'] })).body;
    h().clock.advance(1000);
    const b = (await give(y.api, { recipientIds: [x.user.id], behaviourKeys: ['empathize', 'apologize'] })).body;
    h().clock.advance(1000);
    const c = (await give(y.api, { recipientIds: [alice.user.id], behaviourKeys: ['empathize'] })).body;
    const ids = async (q: string) => ((await h().admin.get<{ items: KudosView[] }>(`/api/v1/kudos?limit=100&${q}`)).body.items).map((k) => k.id);
    expect(await ids(`recipient=${y.user.id}`)).to.deep.equal([a.id]);
    expect(await ids(`giver=${y.user.id}`)).to.deep.equal([c.id, b.id]);
    expect(await ids('team=Filters')).to.deep.equal([c.id, b.id, a.id]);
    expect(await ids(`team=Filters&behaviour=apologize`)).to.deep.equal([b.id, a.id]);
    expect(await ids(`giver=${y.user.id}&behaviour=apologize`)).to.deep.equal([b.id]);
    expect(await ids(`team=Filters&since=${encodeURIComponent(b.createdAt)}`)).to.deep.equal([c.id, b.id]);
    expect(await ids(`team=Filters&since=${encodeURIComponent(t0)}&until=${encodeURIComponent(b.createdAt)}`)).to.deep.equal([a.id]);
    expect((await h().admin.get('/api/v1/kudos?since=yesterday')).status).to.equal(400);
  });

  it('pages the feed with a stable cursor while new kudos arrive', async () => {
    const p = await buildUser(h().admin, { team: 'Paging' });
    const q = await buildUser(h().admin, { team: 'Paging' });
    const made: string[] = [];
    for (let i = 0; i < 9; i++) {
      h().clock.advance(10);
      made.push((await give(p.api, { recipientIds: [q.user.id], message: `page ${i}` })).body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let extra = 0;
    do {
      const res: { body: { items: KudosView[]; nextCursor: string | null } } = await q.api.get(`/api/v1/kudos?team=Paging&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((k) => k.id));
      cursor = res.body.nextCursor;
      // New kudos land at the top while we page: they must not shift what we see.
      h().clock.advance(10);
      await give(q.api, { recipientIds: [p.user.id], message: `interloper ${extra++}` });
    } while (cursor);
    expect(seen).to.deep.equal([...made].reverse());
  });

  it('counts reactions once per user per emoji and comments in place', async () => {
    const k = (await give(alice.api, { recipientIds: [bob.user.id] })).body;
    await bob.api.post(`/api/v1/kudos/${k.id}/reactions`, { emoji: '🎉' });
    await bob.api.post(`/api/v1/kudos/${k.id}/reactions`, { emoji: '🎉' });
    const r = await carol.api.post<KudosView>(`/api/v1/kudos/${k.id}/reactions`, { emoji: '🎉' });
    expect(r.body.reactions).to.deep.equal({ '🎉': 2 });
    expect(r.body.myReactions).to.deep.equal(['🎉']);
    const flag = await carol.api.post<KudosView>(`/api/v1/kudos/${k.id}/reactions`, { emoji: '🇫🇷' });
    expect(flag.status).to.equal(201);
    expect((await carol.api.post(`/api/v1/kudos/${k.id}/reactions`, { emoji: 'lol' })).status).to.equal(400);
    expect((await carol.api.post(`/api/v1/kudos/${k.id}/reactions`, { emoji: '🎉🎉' })).status).to.equal(400);
    const off = await bob.api.delete<KudosView>(`/api/v1/kudos/${k.id}/reactions/${encodeURIComponent('🎉')}`);
    expect(off.body.reactions).to.deep.equal({ '🎉': 1, '🇫🇷': 1 });
    expect(off.body.myReactions).to.deep.equal([]);
    for (let i = 0; i < 3; i++) await bob.api.post(`/api/v1/kudos/${k.id}/comments`, { message: `comment ${i}` });
    expect((await bob.api.post(`/api/v1/kudos/${k.id}/comments`, { message: 'x'.repeat(501) })).status).to.equal(400);
    const page1 = await alice.api.get(`/api/v1/kudos/${k.id}/comments?limit=2`);
    expect(page1.body.items.map((c: { message: string }) => c.message)).to.deep.equal(['comment 0', 'comment 1']);
    const page2 = await alice.api.get(`/api/v1/kudos/${k.id}/comments?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((c: { message: string }) => c.message)).to.deep.equal(['comment 2']);
    expect(page2.body.nextCursor).to.equal(null);
    expect((await alice.api.get<KudosView>(`/api/v1/kudos/${k.id}`)).body.commentCount).to.equal(3);
  });

  it('takes one recommended emoji per reaction and at most 20 different emoji per kudos', async () => {
    const k = (await give(alice.api, { recipientIds: [bob.user.id] })).body;
    const react = (who: Api, emoji: string) => who.post(`/api/v1/kudos/${k.id}/reactions`, { emoji });
    // Skin tones, ZWJ sequences and keycaps are one emoji each; a pictograph carrying combining marks is not.
    for (const emoji of ['👍🏽', '👩‍💻', '#️⃣']) expect((await react(bob.api, emoji)).status, emoji).to.equal(201);
    for (const emoji of ['👍\u0301', '👍\u0301\u0301\u0301', '🎉\u200d', 'a\u20e3']) {
      const r = await react(bob.api, emoji);
      expect(r.status, JSON.stringify(emoji)).to.equal(400);
      expect(r.body.error.details[0].path).to.equal('emoji');
    }
    const more = ['🌟', '🍀', '🎯', '🏆', '💡', '💪', '🤝', '🧠', '🫶', '🥇', '🎈', '🌈', '☕', '🍕', '🎵', '📈', '✅'];
    for (const emoji of more) expect((await react(bob.api, emoji)).status, emoji).to.equal(201);
    const full = await react(carol.api, '🦄');
    expect(full.status).to.equal(422);
    expect(full.body.error.code).to.equal('too_many_reactions');
    expect(full.body.error.details[0].path).to.equal('emoji');
    // An emoji the kudos already carries still counts anyone else in, and removing works as ever.
    expect((await react(carol.api, '🌟')).body.reactions['🌟']).to.equal(2);
    expect((await bob.api.delete(`/api/v1/kudos/${k.id}/reactions/${encodeURIComponent('✅')}`)).status).to.equal(200);
    expect((await react(carol.api, '🦄')).status).to.equal(201);
    expect(Object.keys((await alice.api.get<KudosView>(`/api/v1/kudos/${k.id}`)).body.reactions)).to.have.length(20);
  });

  it('soft-deletes: giver within 15 minutes, hr with a reason; audited; gone from feeds and counts', async () => {
    const g = await buildUser(h().admin, { team: 'Deletes' });
    const r = await buildUser(h().admin, { team: 'Deletes' });
    const k1 = (await give(g.api, { recipientIds: [r.user.id] })).body;
    const k2 = (await give(g.api, { recipientIds: [r.user.id] })).body;
    expect((await r.api.delete(`/api/v1/kudos/${k1.id}`)).status).to.equal(403);
    expect((await g.api.delete(`/api/v1/kudos/${k1.id}`)).status).to.equal(204);
    h().clock.advance(16 * 60 * 1000);
    const late = await g.api.delete(`/api/v1/kudos/${k2.id}`);
    expect(late.status).to.equal(422);
    expect(late.body.error.code).to.equal('delete_window_passed');
    const noReason = await hr.api.delete(`/api/v1/kudos/${k2.id}`);
    expect(noReason.body.error.code).to.equal('reason_required');
    // The reason is kept in the audit log and shown to hr: held to the same rules as a kudos message.
    for (const reason of ['dup\u0007licate', '\u200b', 'bad \ud800 half']) {
      const refused = await hr.api.delete(`/api/v1/kudos/${k2.id}`, { reason });
      expect(refused.status, reason).to.equal(400);
      expect(refused.body.error.code).to.equal('invalid_request');
    }
    expect((await hr.api.delete(`/api/v1/kudos/${k2.id}`, { reason: 'duplicate of an earlier kudos' })).status).to.equal(204);
    expect((await hr.api.delete(`/api/v1/kudos/${k2.id}`, { reason: 'again' })).status).to.equal(404);
    for (const id of [k1.id, k2.id]) expect((await h().admin.get(`/api/v1/kudos/${id}`)).status).to.equal(404);
    expect((await h().admin.get('/api/v1/kudos?team=Deletes')).body.items).to.have.length(0);
    const summary = await r.api.get(`/api/v1/users/${r.user.id}/summary`);
    expect(summary.body.counts.receivedTotal).to.equal(0);
    const audit = await h().admin.get('/api/v1/audit?limit=100');
    const actions = audit.body.items.filter((e: { targetId: string }) => e.targetId === k1.id || e.targetId === k2.id).map((e: { action: string; details: { reason: string | null } }) => [e.action, e.details.reason]);
    expect(actions).to.deep.include.members([['kudos.deleted_by_giver', null], ['kudos.moderated', 'duplicate of an earlier kudos']]);
  });

  it('enforces the giver allowance per period with the remaining count', async () => {
    const rules = (await hr.api.get('/api/v1/scoring-rules')).body;
    expect((await hr.api.put('/api/v1/scoring-rules', { ...rules, allowancePerPeriod: 2 })).status).to.equal(200);
    try {
      const g = await buildUser(h().admin);
      expect((await give(g.api, { recipientIds: [bob.user.id] })).status).to.equal(201);
      expect((await give(g.api, { recipientIds: [carol.user.id] })).status).to.equal(201);
      const third = await g.api.post('/api/v1/kudos', { recipientIds: [alice.user.id], behaviourKeys: ['empathize'], message: 'third' });
      expect(third.status).to.equal(422);
      expect(third.body.error.code).to.equal('allowance_exhausted');
      expect(third.body.error.details).to.deep.include({ path: 'allowance', message: 'remaining: 0' });
    } finally {
      await hr.api.put('/api/v1/scoring-rules', { ...rules, allowancePerPeriod: null });
    }
  });
});
