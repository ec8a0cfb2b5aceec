import { expect } from 'chai';
import { DEFAULT_RULES } from '../../src/domain/scoring-rules.js';
import { inputArrived } from '../../src/store/freshness.js';
import Database from '../../src/store/sqlite/driver.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js';
import { at, buildBehaviour, buildKudos, own, seedUsers } from './contract-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * The sqlite adapter caches hot reads while the database is unchanged. Two stores on one file
 * stand for two Shine processes: whatever one writes, the other must read at once.
 */
describe('sqlite read cache across connections', () => {
  let a: SqliteStore;
  let b: SqliteStore;
  const dir = useTempDir('shine-cache-', async () => {
    await a.close();
    await b.close();
  });

  beforeEach(async () => {
    a = new SqliteStore({ file: dir('shine.db'), synchronous: 'NORMAL' });
    b = new SqliteStore({ file: dir('shine.db'), synchronous: 'NORMAL' });
    await a.init();
    await b.init();
  });

  it('serves a repeated read from the cache while nothing changed', async () => {
    const [u] = await seedUsers(a, [{ name: 'Cached Person' }]);
    const first = await a.getUser(u!.id);
    expect(await a.getUser(u!.id)).to.equal(first);
    expect(Object.isFrozen(first), 'shared cached objects are frozen under test').to.equal(true);
  });

  it('sees a deactivation made through another connection on the very next read', async () => {
    const [u] = await seedUsers(a, [{ name: 'Leaving Soon' }]);
    expect((await a.getUser(u!.id))?.active).to.equal(true);
    await b.updateUser(u!.id, { active: false, updatedAt: at(1) });
    expect((await a.getUser(u!.id))?.active).to.equal(false);
  });

  it('shows kudos written through either connection in the next feed page', async () => {
    const [giver, recipient] = await seedUsers(a, [{ name: 'Giver' }, { name: 'Recipient' }]);
    await a.createBehaviour(buildBehaviour({ key: 'helpful' }));
    const viewer = own(recipient!.id);
    const ids = async () => (await a.feedPage({ viewer }, { limit: 10, after: null })).items.map((k) => k.id);
    expect(await ids()).to.deep.equal([]);
    const viaB = await b.createKudos(buildKudos(giver!, [recipient!], ['helpful'], { createdAt: at(1) }));
    expect(await ids()).to.deep.equal([viaB.id]);
    const viaA = await a.createKudos(buildKudos(giver!, [recipient!], ['helpful'], { createdAt: at(2) }));
    expect(await ids()).to.deep.equal([viaA.id, viaB.id]);
    await b.setReaction(viaB.id, giver!.id, '🎉', true, at(3));
    const page = await a.feedPage({ viewer }, { limit: 10, after: null });
    expect(page.items[1]?.reactions).to.deep.equal({ '🎉': 1 });
  });

  it('keeps people cached while kudos are added here, and refreshes them on any other write here', async () => {
    const [giver, recipient] = await seedUsers(a, [{ name: 'Giver' }, { name: 'Recipient' }]);
    await a.createBehaviour(buildBehaviour({ key: 'helpful' }));
    const viewer = own(recipient!.id);
    const before = await a.getUser(giver!.id);
    expect((await a.feedPage({ viewer }, { limit: 10, after: null })).items).to.have.length(0);
    const k = await a.createKudos(buildKudos(giver!, [recipient!], ['helpful'], { createdAt: at(1) }));
    expect(await a.getUser(giver!.id), 'adding a kudos changes no person').to.equal(before);
    expect((await a.feedPage({ viewer }, { limit: 10, after: null })).items.map((x) => x.id)).to.deep.equal([k.id]);
    await a.updateUser(giver!.id, { name: 'Renamed Giver', updatedAt: at(2) });
    expect((await a.getUser(giver!.id))?.name).to.equal('Renamed Giver');
    expect((await a.feedPage({ viewer }, { limit: 10, after: null })).items[0]?.giver.name).to.equal('Renamed Giver');
    await a.removeKudos(k.id, { by: giver!.id, reason: null, at: at(3) });
    expect((await a.feedPage({ viewer }, { limit: 10, after: null })).items).to.have.length(0);
  });

  it('keeps people, catalog and rules cached while another connection only adds kudos', async () => {
    const [giver, recipient] = await seedUsers(a, [{ name: 'Giver' }, { name: 'Recipient' }]);
    await a.createBehaviour(buildBehaviour({ key: 'helpful' }));
    const person = await a.getUser(giver!.id);
    const catalog = await a.listBehaviours();
    const rules = await a.getRules();
    const viewer = own(recipient!.id);
    const k = await b.createKudos(buildKudos(giver!, [recipient!], ['helpful'], { createdAt: at(1) }));
    expect((await a.feedPage({ viewer }, { limit: 10, after: null })).items.map((x) => x.id), 'the feed is read again').to.deep.equal([k.id]);
    expect(await a.getUser(giver!.id), 'the person stays cached').to.equal(person);
    expect(await a.listBehaviours(), 'the catalog stays cached').to.equal(catalog);
    expect(await a.getRules()).to.equal(rules);
    const { weights: _, ...stored } = DEFAULT_RULES;
    await b.saveRules({ ...stored, allowancePerPeriod: 7 });
    expect((await a.getRules())?.allowancePerPeriod, 'a rules change elsewhere is seen').to.equal(7);
    await b.updateUser(giver!.id, { name: 'Renamed elsewhere', updatedAt: at(2) });
    expect((await a.getUser(giver!.id))?.name, 'a person changed elsewhere is read again').to.equal('Renamed elsewhere');
  });

  it('sees catalog and rule changes from another connection', async () => {
    await a.createBehaviour(buildBehaviour({ key: 'kind', name: 'Kind' }));
    expect((await a.listBehaviours()).map((x) => x.name)).to.deep.equal(['Kind']);
    await b.updateBehaviour('kind', { name: 'Very kind' });
    expect((await a.listBehaviours()).map((x) => x.name)).to.deep.equal(['Very kind']);
  });

  describe('commits by another process (a connection this process knows nothing of)', () => {
    const renameElsewhere = (id: string, name: string) => {
      const other = new Database(dir('shine.db'));
      try {
        other.prepare('UPDATE users SET name = ? WHERE id = ?').run(name, id);
      } finally {
        other.close();
      }
    };
    const nextIteration = () => new Promise<void>((resolve) => setImmediate(resolve));

    it('are seen by the first read for the next request or live message', async () => {
      const [u] = await seedUsers(a, [{ name: 'Before' }]);
      await nextIteration();
      inputArrived();
      expect((await a.getUser(u!.id))?.name).to.equal('Before');
      renameElsewhere(u!.id, 'After');
      inputArrived();
      expect((await a.getUser(u!.id))?.name).to.equal('After');
    });

    it('are seen in the next event-loop iteration even without a new input', async () => {
      const [u] = await seedUsers(a, [{ name: 'Before' }]);
      await nextIteration();
      expect((await a.getUser(u!.id))?.name).to.equal('Before');
      renameElsewhere(u!.id, 'After');
      await nextIteration();
      expect((await a.getUser(u!.id))?.name).to.equal('After');
    });

    it('are not looked for again within one input: the database is asked once per request', async () => {
      const [u] = await seedUsers(a, [{ name: 'Before' }]);
      await nextIteration();
      inputArrived();
      expect((await a.getUser(u!.id))?.name).to.equal('Before');
      // Committed after this request arrived: serving the request as of its arrival is correct.
      renameElsewhere(u!.id, 'After');
      expect((await a.getUser(u!.id))?.name).to.equal('Before');
    });
  });
});
