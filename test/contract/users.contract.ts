import { beforeEach, describe, it } from 'mocha';
import { expect } from 'chai';
import { ConflictError } from '../../src/domain/errors.js';
import { newId } from '../../src/domain/ids.js';
import { nameKey } from '../../src/domain/name-key.js';
import type { User } from '../../src/domain/types.js';
import type { StoreKind } from '../support/stores.js';
import { at, buildBehaviour, buildUser, collectPages, expectRejection, seedUsers, useStore } from './contract-fixtures.js';

/** People and the behaviour catalog. */
export function usersContract(kind: StoreKind): void {
  describe('users', () => {
    const store = useStore(kind);

    it('creates a user with defaults and reads it back by id and by email', async () => {
      const input = buildUser({ name: 'Ada Quinn', email: 'ada@acme.test', team: 'Billing', role: 'manager' });
      const created = await store().createUser(input);
      expect(created).to.deep.equal({
        ...input,
        active: true,
        tokenVersion: 0,
        updatedAt: input.createdAt,
      });
      expect(await store().getUser(input.id)).to.deep.equal(created);
      expect(await store().getUserByEmail('ada@acme.test')).to.deep.equal(created);
      expect(await store().getUser(newId())).to.equal(null);
      expect(await store().getUserByEmail('nobody@acme.test')).to.equal(null);
    });

    it('rejects a duplicate email with ConflictError on field email, on create and on update', async () => {
      await store().createUser(buildUser({ email: 'dup@acme.test' }));
      const other = await store().createUser(buildUser({ email: 'other@acme.test' }));
      const onCreate = await expectRejection(store().createUser(buildUser({ email: 'dup@acme.test' })), ConflictError);
      expect(onCreate.field).to.equal('email');
      const onUpdate = await expectRejection(
        store().updateUser(other.id, { email: 'dup@acme.test', updatedAt: at(1) }),
        ConflictError,
      );
      expect(onUpdate.field).to.equal('email');
      expect((await store().getUser(other.id))?.email).to.equal('other@acme.test');
      expect(await store().countUsers({})).to.equal(2);
    });

    it('updates only the patched fields, bumps the token version on request, and returns null when absent', async () => {
      const u = await store().createUser(buildUser({ name: 'Bo', team: 'Red', managerId: null }));
      const boss = await store().createUser(buildUser());
      const updated = await store().updateUser(u.id, {
        name: 'Bo Renamed',
        team: 'Blue',
        managerId: boss.id,
        bumpTokenVersion: true,
        updatedAt: at(5),
      });
      expect(updated).to.deep.equal({
        ...u,
        name: 'Bo Renamed',
        team: 'Blue',
        managerId: boss.id,
        tokenVersion: 1,
        updatedAt: at(5),
      });
      const again = await store().updateUser(u.id, { active: false, role: 'hr', passwordHash: 'h', updatedAt: at(6) });
      expect(again).to.include({ active: false, role: 'hr', passwordHash: 'h', tokenVersion: 1, name: 'Bo Renamed' });
      expect(await store().getUser(u.id)).to.deep.equal(again);
      expect(await store().updateUser(newId(), { name: 'x', updatedAt: at(7) })).to.equal(null);
    });

    it('getUsersByIds returns the existing users asked for, and allUsers returns everyone by id', async () => {
      const [a, b, c] = await seedUsers(store(), [{}, {}, {}]);
      await store().updateUser(c!.id, { active: false, updatedAt: at(1) });
      const got = await store().getUsersByIds([b!.id, newId(), a!.id]);
      expect(got.map((u) => u.id).sort()).to.deep.equal([a!.id, b!.id].sort());
      expect(await store().getUsersByIds([])).to.deep.equal([]);
      const all = await store().allUsers();
      expect(all.map((u) => u.id)).to.deep.equal([a!.id, b!.id, c!.id].sort());
    });

    it('stores emails lower-cased, finds them whatever the case, and keeps one account per email', async () => {
      const u = await store().createUser(buildUser({ email: 'Mixed.Case@Acme.Test' }));
      expect(u.email).to.equal('mixed.case@acme.test');
      expect((await store().getUserByEmail('MIXED.CASE@acme.test'))?.id).to.equal(u.id);
      const err = await expectRejection(store().createUser(buildUser({ email: 'mixed.case@ACME.test' })), ConflictError);
      expect(err.field).to.equal('email');
    });

    it('getUsersByIds answers in the order asked, each user once', async () => {
      const [a, b, c] = await seedUsers(store(), [{}, {}, {}]);
      const got = await store().getUsersByIds([c!.id, newId(), a!.id, c!.id, b!.id]);
      expect(got.map((u) => u.id)).to.deep.equal([c!.id, a!.id, b!.id]);
    });

    it('counts users by role and activity', async () => {
      const [, , m] = await seedUsers(store(), [{ role: 'employee' }, { role: 'hr' }, { role: 'manager' }]);
      await store().updateUser(m!.id, { active: false, updatedAt: at(1) });
      expect(await store().countUsers({})).to.equal(3);
      expect(await store().countUsers({ activeOnly: true })).to.equal(2);
      expect(await store().countUsers({ role: 'hr' })).to.equal(1);
      expect(await store().countUsers({ role: 'manager', activeOnly: true })).to.equal(0);
    });

    it('lists the distinct teams of active people with their counts, in folded name order, spelled as stored', async () => {
      expect(await store().listTeams()).to.deep.equal([]);
      const people = await seedUsers(store(), [
        { team: 'support' }, { team: 'Support' }, { team: 'Support' }, { team: 'Zeta' }, { team: 'Équipe' },
        { team: 'billing' }, { team: 'Ørsted' }, { team: 'Gone' }, { team: 'Zeta' },
      ]);
      // A team whose only person left is no team any more; one who left does not count in theirs.
      await store().updateUser(people[7]!.id, { active: false, updatedAt: at(1) });
      await store().updateUser(people[8]!.id, { active: false, updatedAt: at(1) });
      expect(await store().listTeams()).to.deep.equal([
        { name: 'billing', people: 1 },
        { name: 'Équipe', people: 1 },
        { name: 'Support', people: 2 },
        { name: 'support', people: 1 },
        { name: 'Zeta', people: 1 },
        { name: 'Ørsted', people: 1 },
      ]);
    });
  });

  describe('users: directory listing', () => {
    const store = useStore(kind);
    const names = ['carol', 'Bob', 'alice', 'Sam', 'sam', 'Dave', 'Émile', 'eve', 'Zed'];
    let users: User[] = [];

    beforeEach(async () => {
      users = await seedUsers(
        store(),
        names.map((name, i) => ({
          name,
          email: `u${i}@${i % 2 ? 'acme' : 'globex'}.test`,
          team: i < 4 ? 'Red' : 'Blue',
        })),
      );
    });

    /** Expected directory order: folded name (accents ignored, lower-cased), then id. */
    const expected = (list: User[]) =>
      [...list]
        .sort((x, y) => {
          const a = nameKey(x.name);
          const b = nameKey(y.name);
          if (a !== b) return a < b ? -1 : 1;
          return x.id < y.id ? -1 : 1;
        })
        .map((u) => u.id);

    it('pages through everyone by case-insensitive name then id, without duplicates or gaps', async () => {
      for (const limit of [1, 2, 4, 20]) {
        const all = await collectPages((p) => store().listUsers({}, p), limit);
        expect(all.map((u) => u.id), `limit ${limit}`).to.deep.equal(expected(users));
      }
    });

    it('keeps paging correctly when a user is added between pages', async () => {
      const first = await store().listUsers({}, { limit: 3 });
      await store().createUser(buildUser({ name: 'Aaron' }));
      const rest = await collectPages((p) => store().listUsers({}, { ...p, after: p.after ?? first.next }), 3);
      const seen = [...first.items, ...rest].map((u) => u.id);
      expect(seen).to.deep.equal(expected(users));
    });

    it('filters by a case-insensitive substring of name or (when asked) email', async () => {
      const byQ = async (q: string) => (await collectPages((p) => store().listUsers({ q, qEmail: true }, p), 3)).map((u) => u.name);
      expect(await byQ('SAM')).to.have.members(['Sam', 'sam']);
      expect(await byQ('Ar')).to.deep.equal(['carol']);
      expect(await byQ('ÉMI')).to.deep.equal(['Émile']);
      expect(await byQ('@acme')).to.have.members(names.filter((_, i) => i % 2 === 1));
      expect(await byQ('%')).to.deep.equal([]);
      expect(await byQ('_')).to.deep.equal([]);
      const byName = async (q: string) => (await collectPages((p) => store().listUsers({ q }, p), 3)).map((u) => u.name);
      expect(await byName('@acme'), 'emails are not searched unless asked').to.deep.equal([]);
      expect(await byName('SAM')).to.have.members(['Sam', 'sam']);
    });

    it('sorts accented names among their plain letters: Émile between Dave and eve', async () => {
      const all = (await collectPages((p) => store().listUsers({}, p), 4)).map((u) => u.name);
      expect(all.slice(all.indexOf('Dave'), all.indexOf('eve') + 1)).to.deep.equal(['Dave', 'Émile', 'eve']);
    });

    it('searches names without regard to accents, both ways; emails as typed', async () => {
      await seedUsers(store(), [
        { name: 'Emile Plain', email: 'emile.plain@acme.test' },
        { name: 'Renée Dubois', email: 'renée@acme.test' },
      ]);
      const byQ = async (q: string, qEmail = false) =>
        (await collectPages((p) => store().listUsers({ q, qEmail }, p), 2)).map((u) => u.name);
      expect(await byQ('emile')).to.deep.equal(['Émile', 'Emile Plain']);
      expect(await byQ('émile')).to.deep.equal(['Émile', 'Emile Plain']);
      expect(await byQ('E\u0301MILE')).to.deep.equal(['Émile', 'Emile Plain']);
      expect(await byQ('rene')).to.deep.equal(['Renée Dubois']);
      expect(await byQ('RENÉE D')).to.deep.equal(['Renée Dubois']);
      // Emails are not folded: the address is matched as stored, lower-cased.
      expect(await byQ('renée@', true)).to.deep.equal(['Renée Dubois']);
      expect(await byQ('renee@', true)).to.deep.equal([]);
    });

    it('filters by exact team and hides inactive users unless asked', async () => {
      const red = await collectPages((p) => store().listUsers({ team: 'Red' }, p), 2);
      expect(red.map((u) => u.id)).to.deep.equal(expected(users.slice(0, 4)));
      expect((await store().listUsers({ team: 'red' }, { limit: 10 })).items).to.deep.equal([]);

      const gone = users[2]!;
      await store().updateUser(gone.id, { active: false, updatedAt: at(1) });
      const active = await collectPages((p) => store().listUsers({}, p), 4);
      expect(active.map((u) => u.id)).to.deep.equal(expected(users.filter((u) => u.id !== gone.id)));
      const everyone = await collectPages((p) => store().listUsers({ includeInactive: true }, p), 4);
      expect(everyone.map((u) => u.id)).to.deep.equal(expected(users));
    });
  });

  describe('behaviours', () => {
    const store = useStore(kind);

    it('creates, reads, lists and patches behaviours', async () => {
      const a = await store().createBehaviour(buildBehaviour({ key: 'thank-customers', weight: 1.5 }));
      const b = await store().createBehaviour(buildBehaviour({ key: 'take-ownership', active: false }));
      expect(a).to.deep.equal(buildBehaviour({ key: 'thank-customers', weight: 1.5 }));
      expect(await store().getBehaviour('take-ownership')).to.deep.equal(b);
      expect(await store().getBehaviour('nope')).to.equal(null);
      const listed = await store().listBehaviours();
      expect([...listed].sort((x, y) => (x.key < y.key ? -1 : 1))).to.deep.equal([b, a]);

      const patched = await store().updateBehaviour('thank-customers', { weight: 2.25, active: false, name: 'Thank them' });
      expect(patched).to.deep.equal({ ...a, weight: 2.25, active: false, name: 'Thank them' });
      expect(await store().getBehaviour('thank-customers')).to.deep.equal(patched);
      expect(await store().updateBehaviour('nope', { weight: 2 })).to.equal(null);
    });

    it('lists behaviours in the order they were created, not by key', async () => {
      for (const key of ['zeta', 'alpha', 'mid']) await store().createBehaviour(buildBehaviour({ key }));
      expect((await store().listBehaviours()).map((b) => b.key)).to.deep.equal(['zeta', 'alpha', 'mid']);
    });

    it('rejects a duplicate key with ConflictError on field key', async () => {
      await store().createBehaviour(buildBehaviour({ key: 'empathize' }));
      const err = await expectRejection(store().createBehaviour(buildBehaviour({ key: 'empathize' })), ConflictError);
      expect(err.field).to.equal('key');
      expect(await store().listBehaviours()).to.have.length(1);
    });
  });
}
