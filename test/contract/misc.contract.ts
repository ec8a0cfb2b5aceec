import { describe, it } from 'mocha';
import { expect } from 'chai';
import { newId } from '../../src/domain/ids.js';
import type { AuditEntry, NewDisplay, StoredResponse } from '../../src/domain/types.js';
import type { StoreKind } from '../support/stores.js';
import { at, collectPages, T0, useStore } from './contract-fixtures.js';

function buildAudit(minute: number, action: string): AuditEntry {
  return {
    id: newId(),
    at: at(minute),
    actorId: 'actor-1',
    action,
    targetType: 'user',
    targetId: minute % 2 ? 'u1' : null,
    details: { from: 'employee', to: 'manager', nested: { n: minute, list: [1, 'two'] } },
  };
}

function buildDisplay(name: string, team: string | null): NewDisplay {
  return { id: newId(), name, team, createdAt: at(0), createdBy: 'admin-1', tokenHash: newId().toLowerCase() };
}

function buildResponse(userId: string, key: string, body: string, createdAt: string): StoredResponse {
  return { userId, key, method: 'POST', path: '/api/v1/kudos', status: 201, body, createdAt };
}

/** Audit, displays, stored responses, counters and ping. */
export function miscContract(kind: StoreKind): void {
  describe('audit, displays, stored responses, counters', () => {
    const store = useStore(kind);

    it('answers ping', async () => {
      expect(await store().ping()).to.equal(true);
    });

    it('pages the audit trail newest first by (at, id)', async () => {
      const entries: AuditEntry[] = [];
      // Minutes 3 and 5 appear twice, so the id tie-break decides the order.
      for (const [i, minute] of [1, 5, 3, 5, 2, 3, 4].entries()) {
        const e = buildAudit(minute, `action-${i}`);
        entries.push(e);
        await store().appendAudit(e);
      }
      const expected = [...entries]
        .sort((a, b) => (a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? 1 : -1))
        .map((e) => e.id);
      for (const limit of [1, 3, 10]) {
        const all = await collectPages((p) => store().auditPage(p), limit);
        expect(all.map((e) => e.id), `limit ${limit}`).to.deep.equal(expected);
      }
      const [newest] = (await store().auditPage({ limit: 1 })).items;
      expect(newest).to.deep.equal(entries[3]);
    });

    it('creates displays, finds them by token hash, touches and revokes them', async () => {
      const lobby = buildDisplay('Lobby', null);
      const support = buildDisplay('Support wall', 'Support');
      const created = await store().createDisplay(lobby);
      await store().createDisplay(support);
      const expectedLobby = {
        id: lobby.id, name: 'Lobby', team: null, createdAt: at(0), createdBy: 'admin-1', lastSeenAt: null, revokedAt: null,
      };
      expect(created).to.deep.equal(expectedLobby);
      expect(created).to.not.have.property('tokenHash');
      expect(await store().getDisplay(lobby.id)).to.deep.equal(expectedLobby);
      expect(await store().getDisplayByTokenHash(lobby.tokenHash)).to.deep.equal(expectedLobby);
      expect(await store().getDisplayByTokenHash('not-a-hash')).to.equal(null);
      expect(await store().getDisplay(newId())).to.equal(null);
      expect((await store().listDisplays()).map((d) => d.id).sort()).to.deep.equal([lobby.id, support.id].sort());

      await store().touchDisplay(lobby.id, at(5));
      await store().touchDisplay(lobby.id, at(9));
      expect((await store().getDisplay(lobby.id))?.lastSeenAt).to.equal(at(9));

      expect(await store().revokeDisplay(lobby.id, at(10))).to.equal(true);
      expect(await store().revokeDisplay(lobby.id, at(11))).to.equal(false);
      expect(await store().revokeDisplay(newId(), at(11))).to.equal(false);
      expect((await store().getDisplay(lobby.id))?.revokedAt).to.equal(at(10));
      const byHash = await store().getDisplayByTokenHash(lobby.tokenHash);
      expect(byHash === null || byHash.revokedAt === at(10), 'a revoked display is absent or marked revoked').to.equal(true);
      expect((await store().getDisplay(support.id))?.revokedAt).to.equal(null);
    });

    it('updates a display on air, leaves out what the patch leaves out, and refuses an absent or revoked one', async () => {
      const wall = buildDisplay('Support wall', 'Support');
      const created = await store().createDisplay(wall);
      const renamed = await store().updateDisplay(wall.id, { name: 'Help desk wall', team: 'Help Desk' });
      expect(renamed).to.deep.equal({ ...created, name: 'Help desk wall', team: 'Help Desk' });
      expect(await store().getDisplay(wall.id)).to.deep.equal(renamed);
      // The token is the same credential: the screen keeps working without a visit.
      expect(await store().getDisplayByTokenHash(wall.tokenHash)).to.deep.equal(renamed);

      expect(await store().updateDisplay(wall.id, { team: null })).to.deep.equal({ ...renamed, team: null });
      expect(await store().updateDisplay(wall.id, { name: 'Lobby' })).to.deep.equal({ ...renamed, name: 'Lobby', team: null });
      expect(await store().updateDisplay(wall.id, {})).to.deep.equal({ ...renamed, name: 'Lobby', team: null });
      expect(await store().updateDisplay(newId(), { name: 'Nobody' })).to.equal(null);

      await store().revokeDisplay(wall.id, at(3));
      expect(await store().updateDisplay(wall.id, { name: 'Back?' })).to.equal(null);
      expect(await store().updateDisplay(wall.id, {})).to.equal(null);
      expect((await store().getDisplay(wall.id))?.name).to.equal('Lobby');
    });

    it('lets one claim per (user, key) run, stores its answer, and prunes old ones', async () => {
      const mine = (userId: string, key: string, createdAt: string) => ({ userId, key, method: 'POST', path: '/api/v1/kudos', createdAt });
      const claim = (userId: string, key: string, createdAt: string) => store().claimStoredResponse(mine(userId, key, createdAt), at(-100), at(-1000));
      expect(await claim('u1', 'k1', at(1))).to.equal(null);
      // Concurrent claims (any process) see the pending record and do not run.
      expect(await claim('u1', 'k1', at(2))).to.deep.include({ status: 0, body: '', createdAt: at(1) });
      expect(await claim('u2', 'k1', at(2))).to.equal(null);
      await store().completeStoredResponse(mine('u1', 'k1', at(1)), 201, '{"id":"first"}');
      await store().completeStoredResponse(mine('u1', 'k1', at(1)), 201, '{"id":"second"}'); // not pending any more: ignored
      expect(await claim('u1', 'k1', at(3))).to.deep.equal(buildResponse('u1', 'k1', '{"id":"first"}', at(1)));
      // A failed request gives its claim back; a completed record is not given back.
      await store().releaseStoredResponse(mine('u2', 'k1', at(2)));
      await store().releaseStoredResponse(mine('u1', 'k1', at(1)));
      expect(await store().getStoredResponse('u2', 'k1')).to.equal(null);
      expect((await store().getStoredResponse('u1', 'k1'))?.status).to.equal(201);
      await store().completeStoredResponse(mine('u2', 'k1', at(2)), 201, '{}'); // the claim is gone: nothing written
      expect(await store().getStoredResponse('u2', 'k1')).to.equal(null);
      expect(await store().getStoredResponse('u1', 'k2')).to.equal(null);

      await store().pruneStoredResponses(at(3));
      expect(await store().getStoredResponse('u1', 'k1')).to.equal(null);
    });

    it('lets only the request that holds a claim complete it or give it back', async () => {
      const mine = (createdAt: string) => ({ userId: 'u4', key: 'slow', method: 'POST', path: '/api/v1/kudos', createdAt });
      expect(await store().claimStoredResponse(mine(at(1)), at(0), at(0))).to.equal(null);
      // The first request is so slow that its claim goes stale and a retry takes it over.
      expect(await store().claimStoredResponse(mine(at(5)), at(2), at(0))).to.equal(null);
      // The slow one finishes late: it must neither answer for the retry nor free its claim.
      await store().completeStoredResponse(mine(at(1)), 201, '{"id":"slow"}');
      await store().releaseStoredResponse(mine(at(1)));
      expect(await store().getStoredResponse('u4', 'slow')).to.deep.include({ status: 0, body: '', createdAt: at(5) });
      await store().completeStoredResponse(mine(at(5)), 201, '{"id":"retry"}');
      expect(await store().getStoredResponse('u4', 'slow')).to.deep.include({ status: 201, body: '{"id":"retry"}', createdAt: at(5) });
    });

    it('counts hits in fixed windows, restarting at 1 when the window has ended', async () => {
      const now = T0;
      expect(await store().hitCounter('login:1.2.3.4', 1000, now)).to.deep.equal({ count: 1, resetAtMs: now + 1000 });
      expect(await store().hitCounter('login:1.2.3.4', 1000, now + 10)).to.deep.equal({ count: 2, resetAtMs: now + 1000 });
      expect(await store().hitCounter('login:1.2.3.4', 1000, now + 999)).to.deep.equal({ count: 3, resetAtMs: now + 1000 });
      expect(await store().hitCounter('other', 1000, now + 999)).to.deep.equal({ count: 1, resetAtMs: now + 1999 });
      expect(await store().hitCounter('login:1.2.3.4', 1000, now + 1000)).to.deep.equal({
        count: 1,
        resetAtMs: now + 2000,
      });
      expect(await store().hitCounter('login:1.2.3.4', 1000, now + 1500)).to.deep.equal({ count: 2, resetAtMs: now + 2000 });
    });

    it('decrements and resets counters', async () => {
      const now = T0;
      for (let i = 0; i < 3; i++) await store().hitCounter('k', 60_000, now);
      await store().decrementCounter('k');
      expect(await store().hitCounter('k', 60_000, now + 1)).to.deep.equal({ count: 3, resetAtMs: now + 60_000 });
      await store().resetCounter('k');
      expect(await store().hitCounter('k', 60_000, now + 2)).to.deep.equal({ count: 1, resetAtMs: now + 60_002 });
      // Neither fails on a key that does not exist.
      await store().decrementCounter('missing');
      await store().resetCounter('missing');
    });

    it('prunes counters whose window has ended, and only those', async () => {
      const now = T0;
      for (let i = 0; i < 5; i++) await store().hitCounter(`login-ip:10.0.0.${i}`, 1000, now);
      await store().hitCounter('login-ip:10.0.0.9', 1000, now + 500);
      await store().hitCounter('login-ip:10.0.0.9', 1000, now + 600);
      expect(await store().pruneCounters(now + 1000)).to.equal(5);
      expect(await store().pruneCounters(now + 1000)).to.equal(0);
      // The one still in its window goes on counting where it was.
      expect(await store().hitCounter('login-ip:10.0.0.9', 1000, now + 1400)).to.deep.equal({ count: 3, resetAtMs: now + 1500 });
      expect(await store().pruneCounters(now + 1500)).to.equal(1);
    });

    it('never loses a hit when many arrive at once', async () => {
      const hits = await Promise.all(Array.from({ length: 20 }, () => store().hitCounter('burst', 60_000, T0)));
      expect(hits.map((h) => h.count).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
    });
  });
}
