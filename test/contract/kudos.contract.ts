import { beforeEach, describe, it } from 'mocha';
import { periodPairs } from '../../src/domain/pair-batch.js';
import { expect } from 'chai';
import { AllowanceExhaustedError, ConflictError, KudosRateLimitedError } from '../../src/domain/errors.js';
import { newId } from '../../src/domain/ids.js';
import type { User } from '../../src/domain/types.js';
import type { Store } from '../../src/store/store.js';
import type { StoreKind } from '../support/stores.js';
import {
  ALL, at, buildBehaviour, buildKudos, collectPages, drain, expectRejection, feedIds, seedUsers, useStore,
} from './contract-fixtures.js';

/** Users ann (Red), bob (Red), cid (Blue) and behaviours b1, b2 in a fresh store. */
async function seedCast(store: Store): Promise<{ ann: User; bob: User; cid: User }> {
  const [ann, bob, cid] = await seedUsers(store, [
    { name: 'Ann', team: 'Red' },
    { name: 'Bob', team: 'Red' },
    { name: 'Cid', team: 'Blue' },
  ]);
  await store.createBehaviour(buildBehaviour({ key: 'b1', name: 'Thank customers' }));
  await store.createBehaviour(buildBehaviour({ key: 'b2', name: 'Take ownership' }));
  return { ann: ann!, bob: bob!, cid: cid! };
}

/** Creating kudos, idempotency, allowance, removal, reactions and comments. */
export function kudosContract(kind: StoreKind): void {
  describe('kudos: writes', () => {
    const store = useStore(kind);
    let ann: User;
    let bob: User;
    let cid: User;
    beforeEach(async () => ({ ann, bob, cid } = await seedCast(store())));

    it('creates a kudos and returns the full record, recipients and behaviours in the given order', async () => {
      const input = buildKudos(ann, [cid, bob], ['b2', 'b1'], { visibility: 'private', message: 'Great save.' });
      const created = await store().createKudos(input);
      expect(created).to.deep.equal({
        id: input.id,
        giver: { id: ann.id, name: 'Ann', team: 'Red' },
        recipients: [
          { id: cid.id, name: 'Cid', team: 'Blue' },
          { id: bob.id, name: 'Bob', team: 'Red' },
        ],
        behaviours: [
          { key: 'b2', name: 'Take ownership' },
          { key: 'b1', name: 'Thank customers' },
        ],
        message: 'Great save.',
        visibility: 'private',
        createdAt: input.createdAt,
        teams: ['Red', 'Blue'],
        reactions: {},
        myReactions: [],
        commentCount: 0,
        removedAt: null,
      });
      expect(await store().getKudos(input.id, null)).to.deep.equal(created);
      expect(await store().getKudos(newId(), null)).to.equal(null);
    });

    it('tells which of a set of kudos are private, removed ones included', async () => {
      const open = await store().createKudos(buildKudos(ann, [bob], ['b1']));
      const secret = await store().createKudos(buildKudos(ann, [cid], ['b1'], { visibility: 'private', createdAt: at(1) }));
      const gone = await store().createKudos(buildKudos(bob, [cid], ['b2'], { visibility: 'private', createdAt: at(2) }));
      await store().removeKudos(gone.id, { by: bob.id, reason: null, at: at(3) });
      const found = await store().privateKudosIds([open.id, secret.id, gone.id, 'no-such-kudos']);
      expect([...found].sort()).to.deep.equal([secret.id, gone.id].sort());
      expect((await store().privateKudosIds([])).size).to.equal(0);
    });

    it('shows the current name and team of the people in a kudos', async () => {
      const k = await store().createKudos(buildKudos(ann, [bob], ['b1']));
      await store().updateUser(bob.id, { name: 'Robert', team: 'Green', updatedAt: at(1) });
      await store().updateUser(ann.id, { name: 'Annie', updatedAt: at(1) });
      const read = await store().getKudos(k.id, null);
      expect(read?.giver).to.deep.equal({ id: ann.id, name: 'Annie', team: 'Red' });
      expect(read?.recipients).to.deep.equal([{ id: bob.id, name: 'Robert', team: 'Green' }]);
      expect(read?.teams).to.deep.equal(['Red'], 'teams stay as recorded at creation');
    });

    it('rejects a reused idempotency key for the same giver and writes nothing', async () => {
      const first = await store().createKudos(buildKudos(ann, [bob], ['b1'], { idempotencyKey: 'key-1' }));
      const retry = buildKudos(ann, [cid], ['b2'], { idempotencyKey: 'key-1', createdAt: at(1) });
      const err = await expectRejection(store().createKudos(retry), ConflictError);
      expect(err.field).to.equal('idempotencyKey');
      expect(await store().getKudos(retry.id, null)).to.equal(null);
      expect(await feedIds(store(), { viewer: ALL })).to.deep.equal([first.id]);
      expect((await store().getKudosByIdempotencyKey(ann.id, 'key-1'))?.id).to.equal(first.id);
      expect(await store().getKudosByIdempotencyKey(bob.id, 'key-1')).to.equal(null);

      // The key is scoped to its giver, and kudos without a key never collide.
      const other = await store().createKudos(buildKudos(bob, [ann], ['b1'], { idempotencyKey: 'key-1' }));
      await store().createKudos(buildKudos(ann, [bob], ['b1']));
      await store().createKudos(buildKudos(ann, [bob], ['b1']));
      expect((await store().getKudosByIdempotencyKey(bob.id, 'key-1'))?.id).to.equal(other.id);
      expect(await feedIds(store(), { viewer: ALL })).to.have.length(4);
    });

    it('enforces the allowance inside the write: removed and out-of-window kudos do not count', async () => {
      const allowance = { max: 2, from: at(0), to: at(60) };
      await store().createKudos(buildKudos(ann, [bob], ['b1'], { createdAt: at(-1) }), { allowance });
      const k1 = await store().createKudos(buildKudos(ann, [bob], ['b1'], { createdAt: at(1) }), { allowance });
      await store().createKudos(buildKudos(bob, [ann], ['b1'], { createdAt: at(2) }), { allowance });
      await store().createKudos(buildKudos(ann, [cid], ['b1'], { createdAt: at(3) }), { allowance });

      const third = buildKudos(ann, [cid], ['b2'], { createdAt: at(4) });
      const err = await expectRejection(store().createKudos(third, { allowance }), AllowanceExhaustedError);
      expect(err.max).to.equal(2);
      expect(err.used).to.equal(2);
      expect(await store().getKudos(third.id, null)).to.equal(null);

      await store().removeKudos(k1.id, { by: ann.id, reason: null, at: at(5) });
      await store().createKudos(buildKudos(ann, [cid], ['b2'], { createdAt: at(6) }), { allowance });
      // No allowance option means no limit.
      await store().createKudos(buildKudos(ann, [cid], ['b2'], { createdAt: at(7) }), { allowance: null });
      await store().createKudos(buildKudos(ann, [cid], ['b2'], { createdAt: at(8) }));
    });

    it('enforces the rate limit inside the write, counting removed kudos and naming when a slot frees', async () => {
      const rate = { max: 2, from: at(0), to: at(1) };
      await store().createKudos(buildKudos(ann, [bob], ['b1'], { createdAt: at(-0.5) }), { rate });
      const k1 = await store().createKudos(buildKudos(ann, [bob], ['b1'], { createdAt: at(0.25) }), { rate });
      await store().createKudos(buildKudos(bob, [ann], ['b1'], { createdAt: at(0.3) }), { rate });
      await store().removeKudos(k1.id, { by: ann.id, reason: null, at: at(0.35) });
      await store().createKudos(buildKudos(ann, [cid], ['b1'], { createdAt: at(0.4) }), { rate });

      const third = buildKudos(ann, [cid], ['b2'], { createdAt: at(0.5) });
      const err = await expectRejection(store().createKudos(third, { rate }), KudosRateLimitedError);
      expect(err.status).to.equal(429);
      expect(err.code).to.equal('rate_limited');
      // The oldest counted kudos (0.25 min after the window opened) leaves it 15 s from now.
      expect(err.retryAfterSeconds).to.equal(15);
      expect(await store().getKudos(third.id, null)).to.equal(null);
      await store().createKudos(buildKudos(bob, [cid], ['b2'], { createdAt: at(0.6) }), { rate });
      await store().createKudos(buildKudos(ann, [cid], ['b2'], { createdAt: at(0.7) }), { rate: null });
    });

    it('lets exactly `max` of many simultaneous writes through the allowance', async () => {
      const allowance = { max: 3, from: at(0), to: at(60) };
      const attempts = Array.from({ length: 8 }, (_, i) =>
        store().createKudos(buildKudos(ann, [bob], ['b1'], { createdAt: at(i) }), { allowance }),
      );
      const results = await Promise.allSettled(attempts);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok).to.have.length(3);
      for (const r of refused) expect(r.reason).to.be.instanceOf(AllowanceExhaustedError);
      expect(await feedIds(store(), { viewer: ALL, giverId: ann.id })).to.have.length(3);
    });

    it('removes softly: gone from feed, counts, rankings and scoring, still readable by id', async () => {
      const keep = await store().createKudos(buildKudos(ann, [bob], ['b1'], { createdAt: at(1) }));
      const drop = await store().createKudos(buildKudos(ann, [bob, cid], ['b2'], { createdAt: at(2) }));
      const removal = { by: ann.id, reason: 'posted twice', at: at(3) };
      expect(await store().removeKudos(drop.id, removal)).to.equal(true);
      expect(await store().removeKudos(drop.id, removal)).to.equal(false);
      expect(await store().removeKudos(newId(), removal)).to.equal(false);

      expect((await store().getKudos(drop.id, null))?.removedAt).to.equal(at(3));
      expect(await feedIds(store(), { viewer: ALL })).to.deep.equal([keep.id]);
      expect((await store().kudosAfter({ viewer: ALL }, { key: at(0), id: '' }, 10)).map((k) => k.id)).to.deep.equal([
        keep.id,
      ]);
      const counts = await store().userCounts(bob.id, ALL);
      expect(counts.receivedTotal).to.equal(1);
      expect(counts.receivedByBehaviour.map((b) => b.key)).to.deep.equal(['b1']);
      expect((await store().userCounts(cid.id, ALL)).receivedTotal).to.equal(0);
      expect((await store().userCounts(ann.id, ALL)).givenTotal).to.equal(1);
      const board = await store().leaderboard({ from: at(0), to: at(10), by: 'recipient', limit: 10 });
      expect(board.map((r) => [r.id, r.count])).to.deep.equal([[bob.id, 1]]);
      const pairs = await drain(periodPairs(store(), at(0), at(10)));
      expect(pairs.map((p) => p.kudosId)).to.deep.equal([keep.id]);
      expect((await store().givenCounts(at(0), at(10))).get(ann.id)).to.equal(1);
    });
  });

  describe('kudos: reactions and comments', () => {
    const store = useStore(kind);
    let ann: User;
    let bob: User;
    let cid: User;
    beforeEach(async () => ({ ann, bob, cid } = await seedCast(store())));

    it('toggles one reaction per user and emoji, with counts and the viewer’s own reactions', async () => {
      const k = await store().createKudos(buildKudos(ann, [bob], ['b1']));
      expect(await store().setReaction(k.id, bob.id, '🎉', true, at(1))).to.equal(true);
      expect(await store().setReaction(k.id, bob.id, '🎉', true, at(2))).to.equal(false);
      expect(await store().setReaction(k.id, cid.id, '🎉', true, at(3))).to.equal(true);
      expect(await store().setReaction(k.id, cid.id, '👏', true, at(4))).to.equal(true);

      const asBob = await store().getKudos(k.id, bob.id);
      expect(asBob?.reactions).to.deep.equal({ '🎉': 2, '👏': 1 });
      expect(asBob?.myReactions).to.deep.equal(['🎉']);
      expect((await store().getKudos(k.id, cid.id))?.myReactions).to.have.members(['🎉', '👏']);
      expect((await store().getKudos(k.id, null))?.myReactions).to.deep.equal([]);
      const inFeed = (await store().feedPage({ viewer: { userId: cid.id, privateAccess: 'own' } }, { limit: 5 })).items[0];
      expect(inFeed?.reactions).to.deep.equal({ '🎉': 2, '👏': 1 });
      expect(inFeed?.myReactions).to.have.members(['🎉', '👏']);

      expect(await store().setReaction(k.id, bob.id, '🎉', false, at(5))).to.equal(true);
      expect(await store().setReaction(k.id, bob.id, '🎉', false, at(6))).to.equal(false);
      expect(await store().setReaction(k.id, cid.id, '👏', false, at(7))).to.equal(true);
      const after = await store().getKudos(k.id, bob.id);
      expect(after?.reactions).to.deep.equal({ '🎉': 1 });
      expect(after?.myReactions).to.deep.equal([]);
    });

    it('lists reactions in the order their emoji was first used on the kudos, ties by emoji', async () => {
      const k = await store().createKudos(buildKudos(ann, [bob], ['b1']));
      await store().setReaction(k.id, bob.id, '🚀', true, at(1));
      await store().setReaction(k.id, cid.id, '👏', true, at(2));
      await store().setReaction(k.id, bob.id, '🎉', true, at(2));
      await store().setReaction(k.id, cid.id, '🚀', true, at(3));
      // '🎉' (U+1F389) and '👏' (U+1F44F) were first used at the same instant: code point order.
      const read = await store().getKudos(k.id, cid.id);
      expect(Object.entries(read?.reactions ?? {})).to.deep.equal([['🚀', 2], ['🎉', 1], ['👏', 1]]);
      expect(read?.myReactions).to.deep.equal(['🚀', '👏']);
      // Taking back the first use moves an emoji to where its earliest remaining use puts it.
      await store().setReaction(k.id, bob.id, '🚀', false, at(4));
      expect(Object.keys((await store().getKudos(k.id, null))?.reactions ?? {})).to.deep.equal(['🎉', '👏', '🚀']);
    });

    it('adds comments and pages them oldest first; the kudos counts them', async () => {
      const k = await store().createKudos(buildKudos(ann, [bob], ['b1']));
      const other = await store().createKudos(buildKudos(bob, [ann], ['b1']));
      const first = await store().addComment({ id: newId(), kudosId: k.id, authorId: cid.id, message: 'Agreed!', createdAt: at(1) });
      expect(first).to.deep.equal({
        id: first.id,
        kudosId: k.id,
        author: { id: cid.id, name: 'Cid', team: 'Blue' },
        message: 'Agreed!',
        createdAt: at(1),
      });
      const ids = [first.id];
      // Two comments share a timestamp, so the id tie-break is exercised.
      for (const minute of [3, 2, 4, 4]) {
        const c = await store().addComment({ id: newId(), kudosId: k.id, authorId: bob.id, message: `m${minute}`, createdAt: at(minute) });
        ids.push(c.id);
      }
      await store().addComment({ id: newId(), kudosId: other.id, authorId: ann.id, message: 'elsewhere', createdAt: at(1) });

      const expected = [ids[0], ids[2], ids[1], ids[3], ids[4]];
      for (const limit of [1, 2, 5]) {
        const all = await collectPages((p) => store().commentsPage(k.id, p), limit);
        expect(all.map((c) => c.id), `limit ${limit}`).to.deep.equal(expected);
      }
      expect((await store().getKudos(k.id, null))?.commentCount).to.equal(5);
      expect((await store().getKudos(other.id, null))?.commentCount).to.equal(1);
      expect((await store().commentsPage(newId(), { limit: 5 })).items).to.deep.equal([]);
    });
  });
}
