import { before, describe, it } from 'mocha';
import { periodPairs } from '../../src/domain/pair-batch.js';
import { expect } from 'chai';
import type { LeaderboardQuery, ScoringPair, User, Viewer } from '../../src/domain/types.js';
import type { StoreKind } from '../support/stores.js';
import { ALL, PUBLIC_ONLY, at, buildBehaviour, buildKudos, drain, own, seedUsers, useStore } from './contract-fixtures.js';

/**
 * Rankings, per-person counts and the scoring stream over one hand-built month. The window is
 * [at(0), at(1000)). Expected numbers are worked out in the comments beside the data.
 */
export function insightContract(kind: StoreKind): void {
  describe('insight: leaderboard, userCounts, periodPairs, givenCounts', () => {
    const store = useStore(kind, 'all');
    const from = at(0);
    const to = at(1000);
    let ann: User;
    let bob: User;
    let cid: User;
    let dee: User;
    let eve: User;
    const kid: Record<number, string> = {};

    before(async () => {
      // Created in reverse name order, so id order never happens to agree with name order.
      [eve, dee, cid, bob, ann] = (await seedUsers(store(), [
        { name: 'Eve', team: 'Green' },
        { name: 'Dee', team: 'Blue' },
        { name: 'Cid', team: 'Blue' },
        { name: 'Bob', team: 'Red' },
        { name: 'Ann', team: 'Red' },
      ])) as [User, User, User, User, User];
      await store().createBehaviour(buildBehaviour({ key: 'b1', name: 'Thank customers' }));
      await store().createBehaviour(buildBehaviour({ key: 'b2', name: 'Take ownership' }));
      const plan: [number, User, User[], string[], string, 'public' | 'private'][] = [
        [1, ann, [bob, cid], ['b1'], at(10), 'public'],
        [2, bob, [cid], ['b2'], at(20), 'private'],
        [3, cid, [ann], ['b1', 'b2'], at(30), 'public'],
        [4, dee, [cid, bob], ['b1'], at(40), 'public'],
        [5, ann, [dee], ['b2'], at(50), 'public'],
        [6, eve, [bob], ['b1'], at(60), 'public'], // removed below
        [7, bob, [ann], ['b1'], at(-1), 'public'], // before the window
        [8, ann, [bob], ['b1'], to, 'public'], // at the (exclusive) end of the window
      ];
      for (const [n, giver, recipients, keys, createdAt, visibility] of plan) {
        kid[n] = (await store().createKudos(buildKudos(giver, recipients, keys, { createdAt, visibility }))).id;
      }
      await store().removeKudos(kid[6]!, { by: eve.id, reason: null, at: at(70) });
      // Bob moves team after the fact: team rankings keep the team he had when recognised.
      await store().updateUser(bob.id, { team: 'Green', updatedAt: at(80) });
    });

    const board = (q: Partial<LeaderboardQuery>) =>
      store().leaderboard({ from, to, by: 'recipient', limit: 10, ...q });

    it('ranks recipients by kudos received (count desc, then name), with their current team', async () => {
      // Cid: k1, k2, k4 = 3; Bob: k1, k4 = 2 (k6 removed, k8 outside); Ann: k3 = 1; Dee: k5 = 1.
      expect(await board({})).to.deep.equal([
        { id: cid.id, name: 'Cid', team: 'Blue', count: 3 },
        { id: bob.id, name: 'Bob', team: 'Green', count: 2 },
        { id: ann.id, name: 'Ann', team: 'Red', count: 1 },
        { id: dee.id, name: 'Dee', team: 'Blue', count: 1 },
      ]);
      expect((await board({ limit: 2 })).map((r) => r.id)).to.deep.equal([cid.id, bob.id]);
    });

    it('ranks givers by kudos given', async () => {
      // Ann: k1, k5 = 2; Bob: k2; Cid: k3; Dee: k4; Eve's only kudos is removed.
      expect(await board({ by: 'giver' })).to.deep.equal([
        { id: ann.id, name: 'Ann', team: 'Red', count: 2 },
        { id: bob.id, name: 'Bob', team: 'Green', count: 1 },
        { id: cid.id, name: 'Cid', team: 'Blue', count: 1 },
        { id: dee.id, name: 'Dee', team: 'Blue', count: 1 },
      ]);
    });

    it("ranks teams by (kudos, recipient) pairs, using the recipient's team at the time", async () => {
      // Pairs: k1 Bob(Red) Cid(Blue); k2 Cid(Blue); k3 Ann(Red); k4 Cid(Blue) Bob(Red); k5 Dee(Blue).
      expect(await board({ by: 'team' })).to.deep.equal([
        { id: 'Blue', name: 'Blue', team: 'Blue', count: 4 },
        { id: 'Red', name: 'Red', team: 'Red', count: 3 },
      ]);
      expect(await board({ by: 'team', limit: 1 })).to.have.length(1);
      // Only k1 in [at(10), at(11)): Bob (Red) and Cid (Blue) tie, so team name decides.
      expect((await board({ by: 'team', from: at(10), to: at(11) })).map((r) => [r.id, r.count])).to.deep.equal([
        ['Blue', 1],
        ['Red', 1],
      ]);
    });

    it('narrows every ranking to one behaviour', async () => {
      // b2 kudos in the window: k2 (Bob to Cid), k3 (Cid to Ann), k5 (Ann to Dee).
      expect((await board({ behaviourKey: 'b2' })).map((r) => [r.name, r.count])).to.deep.equal([
        ['Ann', 1],
        ['Cid', 1],
        ['Dee', 1],
      ]);
      // b1 kudos in the window: k1 (Ann), k3 (Cid), k4 (Dee).
      expect((await board({ by: 'giver', behaviourKey: 'b1' })).map((r) => [r.name, r.count])).to.deep.equal([
        ['Ann', 1],
        ['Cid', 1],
        ['Dee', 1],
      ]);
      // b1 pairs: k1 Bob(Red) Cid(Blue); k3 Ann(Red); k4 Cid(Blue) Bob(Red).
      expect((await board({ by: 'team', behaviourKey: 'b1' })).map((r) => [r.id, r.count])).to.deep.equal([
        ['Red', 3],
        ['Blue', 2],
      ]);
      expect(await board({ behaviourKey: 'nope' })).to.deep.equal([]);
    });

    it('counts public kudos only when asked, in every ranking', async () => {
      // k2 (Bob to Cid, b2) is the only private kudos.
      expect((await board({ publicOnly: true })).map((r) => [r.name, r.count])).to.deep.equal([
        ['Bob', 2],
        ['Cid', 2],
        ['Ann', 1],
        ['Dee', 1],
      ]);
      expect((await board({ by: 'giver', publicOnly: true })).map((r) => [r.name, r.count])).to.deep.equal([
        ['Ann', 2],
        ['Cid', 1],
        ['Dee', 1],
      ]);
      expect((await board({ by: 'team', publicOnly: true })).map((r) => [r.id, r.count])).to.deep.equal([
        ['Blue', 3],
        ['Red', 3],
      ]);
      expect((await board({ behaviourKey: 'b2', publicOnly: true })).map((r) => r.name)).to.deep.equal(['Ann', 'Dee']);
    });

    it('respects the window bounds: from inclusive, to exclusive', async () => {
      // [at(30), at(40)) holds k3 only; [at(40), at(41)) holds k4 only (a tie: name order).
      expect((await board({ from: at(30), to: at(40) })).map((r) => r.id)).to.deep.equal([ann.id]);
      expect((await board({ from: at(40), to: at(41) })).map((r) => r.id)).to.deep.equal([bob.id, cid.id]);
    });

    it('counts what a person received and gave over all time, by behaviour', async () => {
      // Cid received k1(b1) k2(b2) k4(b1); gave k3(b1, b2).
      expect(await store().userCounts(cid.id, ALL)).to.deep.equal({
        receivedTotal: 3,
        givenTotal: 1,
        receivedByBehaviour: [
          { key: 'b1', name: 'Thank customers', count: 2 },
          { key: 'b2', name: 'Take ownership', count: 1 },
        ],
        givenByBehaviour: [
          { key: 'b1', name: 'Thank customers', count: 1 },
          { key: 'b2', name: 'Take ownership', count: 1 },
        ],
      });
      // Bob received k1 k4 k8 (all b1; k6 removed); gave k2(b2) and k7(b1): a tie, so key order.
      const bobCounts = await store().userCounts(bob.id, ALL);
      expect(bobCounts.receivedTotal).to.equal(3);
      expect(bobCounts.receivedByBehaviour).to.deep.equal([{ key: 'b1', name: 'Thank customers', count: 3 }]);
      expect(bobCounts.givenTotal).to.equal(2);
      expect(bobCounts.givenByBehaviour.map((b) => [b.key, b.count])).to.deep.equal([
        ['b1', 1],
        ['b2', 1],
      ]);
      // Ann gave k1(b1) k5(b2) k8(b1).
      const annCounts = await store().userCounts(ann.id, ALL);
      expect(annCounts.givenByBehaviour.map((b) => [b.key, b.count])).to.deep.equal([
        ['b1', 2],
        ['b2', 1],
      ]);
      expect(await store().userCounts(eve.id, ALL)).to.deep.equal({
        receivedTotal: 0,
        givenTotal: 0,
        receivedByBehaviour: [],
        givenByBehaviour: [],
      });
    });

    it('counts only the kudos the viewer may see, as the feed shows them', async () => {
      // k2 is Bob's private kudos to Cid: theirs to count, and hr's (ALL); nobody else's.
      const counted = async (of: User, viewer: Viewer) => {
        const c = await store().userCounts(of.id, viewer);
        return [c.receivedTotal, c.givenTotal, c.receivedByBehaviour.map((b) => [b.key, b.count]), c.givenByBehaviour.map((b) => [b.key, b.count])];
      };
      const cidAll = [3, 1, [['b1', 2], ['b2', 1]], [['b1', 1], ['b2', 1]]];
      const cidPublic = [2, 1, [['b1', 2]], [['b1', 1], ['b2', 1]]];
      expect(await counted(cid, ALL)).to.deep.equal(cidAll);
      expect(await counted(cid, own(cid.id)), 'its recipient').to.deep.equal(cidAll);
      expect(await counted(cid, own(bob.id)), 'its giver').to.deep.equal(cidAll);
      expect(await counted(cid, own(dee.id)), 'someone else').to.deep.equal(cidPublic);
      expect(await counted(cid, PUBLIC_ONLY)).to.deep.equal(cidPublic);
      expect((await store().userCounts(bob.id, own(dee.id))).givenByBehaviour.map((b) => [b.key, b.count])).to.deep.equal([['b1', 1]]);
      expect((await store().userCounts(bob.id, own(bob.id))).givenTotal).to.equal(2);
    });

    it('streams every (kudos, recipient) pair of live kudos in the window', async () => {
      const pairs = await drain(periodPairs(store(), from, to));
      const norm = (p: ScoringPair) => ({ ...p, behaviourKeys: [...p.behaviourKeys].sort() });
      const key = (p: ScoringPair) => `${p.kudosId}/${p.recipientId}`;
      const expected: ScoringPair[] = [
        { kudosId: kid[1]!, giverId: ann.id, recipientId: bob.id, createdAt: at(10), recipientCount: 2, behaviourKeys: ['b1'] },
        { kudosId: kid[1]!, giverId: ann.id, recipientId: cid.id, createdAt: at(10), recipientCount: 2, behaviourKeys: ['b1'] },
        { kudosId: kid[2]!, giverId: bob.id, recipientId: cid.id, createdAt: at(20), recipientCount: 1, behaviourKeys: ['b2'] },
        { kudosId: kid[3]!, giverId: cid.id, recipientId: ann.id, createdAt: at(30), recipientCount: 1, behaviourKeys: ['b1', 'b2'] },
        { kudosId: kid[4]!, giverId: dee.id, recipientId: cid.id, createdAt: at(40), recipientCount: 2, behaviourKeys: ['b1'] },
        { kudosId: kid[4]!, giverId: dee.id, recipientId: bob.id, createdAt: at(40), recipientCount: 2, behaviourKeys: ['b1'] },
        { kudosId: kid[5]!, giverId: ann.id, recipientId: dee.id, createdAt: at(50), recipientCount: 1, behaviourKeys: ['b2'] },
      ];
      const sorted = (list: ScoringPair[]) => list.map(norm).sort((a, b) => (key(a) < key(b) ? -1 : 1));
      expect(sorted(pairs)).to.deep.equal(sorted(expected));
      expect(await drain(periodPairs(store(), at(2000), at(3000)))).to.deep.equal([]);
    });

    it('can stop reading pairs early and read them again', async () => {
      let seen = 0;
      for await (const _pair of periodPairs(store(), from, to)) {
        if (++seen === 2) break;
      }
      expect(seen).to.equal(2);
      expect(await drain(periodPairs(store(), from, to))).to.have.length(7);
    });

    it('counts live kudos given per giver in the window', async () => {
      const given = await store().givenCounts(from, to);
      expect(given.get(ann.id)).to.equal(2);
      expect(given.get(bob.id)).to.equal(1);
      expect(given.get(cid.id)).to.equal(1);
      expect(given.get(dee.id)).to.equal(1);
      expect(given.get(eve.id) ?? 0).to.equal(0);
      expect([...given.values()].reduce((a, b) => a + b, 0)).to.equal(5);
    });

    it('counts only public kudos per giver when asked (what a TV wall may total)', async () => {
      const given = await store().givenCounts(from, to, { publicOnly: true });
      // Bob's only kudos in the window (k2) is private.
      expect([given.get(ann.id), given.get(bob.id) ?? 0, given.get(cid.id), given.get(dee.id)]).to.deep.equal([2, 0, 1, 1]);
      expect([...given.values()].reduce((a, b) => a + b, 0)).to.equal(4);
    });
  });
}
