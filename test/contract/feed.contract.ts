import { before, describe, it } from 'mocha';
import { expect } from 'chai';
import type { FeedFilter, KudosRecord, User } from '../../src/domain/types.js';
import type { StoreKind } from '../support/stores.js';
import {
  ALL, at, buildBehaviour, buildKudos, collectPages, feedIds, own, PUBLIC_ONLY, seedUsers, useStore,
} from './contract-fixtures.js';

/** The feed: visibility, filters, keyset pagination and the catch-up read. */
export function feedContract(kind: StoreKind): void {
  describe('feed: visibility and filters', () => {
    const store = useStore(kind, 'all');
    let ann: User;
    let bob: User;
    let cid: User;
    let dee: User;
    // k[1..7] by creation time; k[6] is removed.
    const k: Record<number, KudosRecord> = {};

    before(async () => {
      [ann, bob, cid, dee] = (await seedUsers(store(), [
        { name: 'Ann', team: 'Red' },
        { name: 'Bob', team: 'Red' },
        { name: 'Cid', team: 'Blue' },
        { name: 'Dee', team: 'Green' },
      ])) as [User, User, User, User];
      await store().createBehaviour(buildBehaviour({ key: 'b1' }));
      await store().createBehaviour(buildBehaviour({ key: 'b2' }));
      const plan: [User, User[], string[], 'public' | 'private'][] = [
        [ann, [bob], ['b1'], 'public'],
        [ann, [cid], ['b2'], 'private'],
        [cid, [dee], ['b1', 'b2'], 'public'],
        [dee, [ann, bob], ['b2'], 'public'],
        [bob, [cid], ['b1'], 'private'],
        [cid, [ann], ['b1'], 'public'],
        [bob, [ann], ['b2'], 'public'],
      ];
      for (const [i, [giver, to, keys, visibility]] of plan.entries()) {
        k[i + 1] = await store().createKudos(buildKudos(giver, to, keys, { visibility, createdAt: at((i + 1) * 10) }));
      }
      await store().removeKudos(k[6]!.id, { by: ann.id, reason: 'spam', at: at(100) });
    });

    const ids = (...n: number[]) => n.map((i) => k[i]!.id);
    const feed = (filter: Omit<FeedFilter, 'viewer'>, viewer: FeedFilter['viewer'] = ALL) =>
      feedIds(store(), { ...filter, viewer });

    it("privateAccess 'all' sees every kudos except removed ones, newest first", async () => {
      expect(await feed({})).to.deep.equal(ids(7, 5, 4, 3, 2, 1));
    });

    it("privateAccess 'own' adds only private kudos the viewer gave or received", async () => {
      expect(await feed({}, own(ann.id))).to.deep.equal(ids(7, 4, 3, 2, 1));
      expect(await feed({}, own(cid.id))).to.deep.equal(ids(7, 5, 4, 3, 2, 1));
      expect(await feed({}, own(bob.id))).to.deep.equal(ids(7, 5, 4, 3, 1));
      expect(await feed({}, own(dee.id))).to.deep.equal(ids(7, 4, 3, 1));
    });

    it("privateAccess 'none' sees public kudos only", async () => {
      expect(await feed({}, PUBLIC_ONLY)).to.deep.equal(ids(7, 4, 3, 1));
    });

    it('filters by recipient, giver, team and behaviour', async () => {
      expect(await feed({ recipientId: bob.id })).to.deep.equal(ids(4, 1));
      expect(await feed({ recipientId: ann.id })).to.deep.equal(ids(7, 4));
      expect(await feed({ giverId: cid.id })).to.deep.equal(ids(3));
      expect(await feed({ giverId: ann.id })).to.deep.equal(ids(2, 1));
      expect(await feed({ team: 'Green' })).to.deep.equal(ids(4, 3));
      expect(await feed({ team: 'Blue' })).to.deep.equal(ids(5, 3, 2));
      expect(await feed({ team: 'Red' })).to.deep.equal(ids(7, 5, 4, 2, 1));
      expect(await feed({ team: 'red' })).to.deep.equal([]);
      expect(await feed({ behaviourKey: 'b2' })).to.deep.equal(ids(7, 4, 3, 2));
      expect(await feed({ behaviourKey: 'b1' })).to.deep.equal(ids(5, 3, 1));
    });

    it('filters by time: since inclusive, until exclusive', async () => {
      expect(await feed({ since: at(30) })).to.deep.equal(ids(7, 5, 4, 3));
      expect(await feed({ until: at(30) })).to.deep.equal(ids(2, 1));
      expect(await feed({ since: at(20), until: at(50) })).to.deep.equal(ids(4, 3, 2));
    });

    it('ANDs filters together, and with visibility', async () => {
      expect(await feed({ giverId: ann.id, behaviourKey: 'b2' })).to.deep.equal(ids(2));
      expect(await feed({ giverId: ann.id, behaviourKey: 'b2' }, own(bob.id))).to.deep.equal([]);
      expect(await feed({ team: 'Red', recipientId: cid.id })).to.deep.equal(ids(5, 2));
      expect(await feed({ team: 'Red', recipientId: cid.id }, own(dee.id))).to.deep.equal([]);
      expect(await feed({ recipientId: bob.id, since: at(20), behaviourKey: 'b2' })).to.deep.equal(ids(4));
    });

    it('returns the same items whatever the page size', async () => {
      for (const limit of [1, 2, 3, 6, 50]) {
        const items = await collectPages((p) => store().feedPage({ viewer: ALL }, p), limit);
        expect(items.map((x) => x.id), `limit ${limit}`).to.deep.equal(ids(7, 5, 4, 3, 2, 1));
      }
      const page = await store().feedPage({ viewer: ALL }, { limit: 6 });
      expect(page.next).to.equal(null);
    });

    it('kudosAfter returns the same kudos oldest first, strictly after the cursor', async () => {
      const after = async (cursorOf: number | null, limit: number, filter: Omit<FeedFilter, 'viewer'> = {}, viewer = ALL) => {
        const cursor = cursorOf === null ? { key: at(0), id: '' } : { key: k[cursorOf]!.createdAt, id: k[cursorOf]!.id };
        return (await store().kudosAfter({ ...filter, viewer }, cursor, limit)).map((x) => x.id);
      };
      expect(await after(null, 10)).to.deep.equal(ids(1, 2, 3, 4, 5, 7));
      expect(await after(2, 10)).to.deep.equal(ids(3, 4, 5, 7));
      expect(await after(2, 2)).to.deep.equal(ids(3, 4));
      expect(await after(5, 10)).to.deep.equal(ids(7));
      expect(await after(7, 10)).to.deep.equal([]);
      expect(await after(null, 10, {}, PUBLIC_ONLY)).to.deep.equal(ids(1, 3, 4, 7));
      expect(await after(null, 10, {}, own(ann.id))).to.deep.equal(ids(1, 2, 3, 4, 7));
      expect(await after(1, 10, { team: 'Blue' })).to.deep.equal(ids(2, 3, 5));
    });

    it('feed items are full records', async () => {
      const [first] = (await store().feedPage({ viewer: ALL, giverId: dee.id }, { limit: 1 })).items;
      expect(first).to.deep.equal(await store().getKudos(k[4]!.id, null));
      expect(first?.recipients.map((r) => r.id)).to.deep.equal([ann.id, bob.id]);
    });
  });

  describe('feed: pagination under concurrent writes', () => {
    const store = useStore(kind);

    it('neither repeats nor skips items when kudos are posted between page fetches', async () => {
      const [ann, bob] = (await seedUsers(store(), [{}, {}])) as [User, User];
      await store().createBehaviour(buildBehaviour({ key: 'b1' }));
      const original: string[] = [];
      // Groups of kudos share a timestamp so the id tie-break decides page boundaries.
      for (let i = 0; i < 9; i++) {
        const kudos = await store().createKudos(buildKudos(ann, [bob], ['b1'], { createdAt: at(Math.floor(i / 3)) }));
        original.unshift(kudos.id);
      }
      const seen: string[] = [];
      let page = await store().feedPage({ viewer: ALL }, { limit: 2 });
      let minute = 100;
      for (;;) {
        seen.push(...page.items.map((x) => x.id));
        // Newer kudos arrive at the top while the reader scrolls down.
        await store().createKudos(buildKudos(bob, [ann], ['b1'], { createdAt: at(minute++) }));
        if (!page.next) break;
        page = await store().feedPage({ viewer: ALL }, { limit: 2, after: page.next });
      }
      expect(seen).to.deep.equal(original);
    });
  });
}
