import { expect } from 'chai';
import { periodPairs } from '../../src/domain/pair-batch.js';
import { parse } from 'csv-parse/sync';
import { AppError, ConflictError, NotFoundError, RuleViolationError } from '../../src/domain/errors.js';
import { newId } from '../../src/domain/ids.js';
import { periodInsights } from '../../src/domain/insights.js';
import { closePeriod, createPeriod, getPeriodScores, getReport, listPeriods, scoreScopeFor } from '../../src/domain/periods.js';
import { loadRules, scoringRulesSchema, updateRules } from '../../src/domain/scoring-rules.js';
import { scorePeriod } from '../../src/domain/scoring.js';
import type { Behaviour, NewUser, Period, ScoringPair, User } from '../../src/domain/types.js';
import type { Store } from '../../src/store/store.js';
import { availableStores } from '../support/stores.js';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const END = 1000;
const AFTER_END = T0 + (END + 1) * 60_000;

async function rejection<E extends AppError>(p: Promise<unknown>, type: abstract new (...a: never[]) => E): Promise<E> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(type);
    return err as E;
  }
  throw new Error(`expected a ${type.name}`);
}

const behaviour = (key: string, group: string, weight: number): Behaviour => ({
  key, group, name: key, description: `${key} in practice`, weight, active: true,
});

function user(id: string, name: string, team: string, over: Partial<NewUser> = {}): NewUser {
  return { id, name, email: `${id}@example.test`, team, role: 'employee', managerId: 'm', passwordHash: null, createdAt: at(-5000), ...over };
}

async function kudos(store: Store, giver: User, to: User[], keys: string[], minute: number): Promise<string> {
  const id = newId(T0 + minute * 60_000);
  await store.createKudos({
    id, giverId: giver.id, recipientIds: to.map((u) => u.id), behaviourKeys: keys, message: 'Stayed late to help a customer.',
    visibility: 'public', createdAt: at(minute), teams: [...new Set([giver.team, ...to.map((u) => u.team)])], idempotencyKey: null,
  });
  return id;
}

for (const kind of availableStores()) {
  describe(`periods use cases (${kind.name})`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let people: Record<string, User>;
    let period: Period;
    let removable: string;

    beforeEach(async () => {
      ({ store, dispose } = await kind.make());
      await store.createBehaviour(behaviour('thank', 'Make the Customer #1', 1));
      await store.createBehaviour(behaviour('own', 'Effective Problem Resolution', 2));
      await store.createBehaviour(behaviour('listen', 'Determine Customer Needs', 1));
      people = {};
      const specs = [
        user('hr', 'Hana HR', 'People', { role: 'hr', managerId: null }),
        user('m', 'Max Manager', 'Support', { role: 'manager', managerId: null }),
        user('a', 'Ana', 'Support'),
        user('b', 'Ben', 'Support'),
        user('c', 'Cleo', 'Billing'),
        user('d', 'Dev', 'Billing'),
        user('e', 'Eli', 'Billing'),
      ];
      for (const s of specs) people[s.id] = await store.createUser(s);
      await store.updateUser('e', { active: false, updatedAt: at(-1) });
      period = await createPeriod(store, { name: 'March', startsAt: at(0), endsAt: at(END) }, 'hr', T0);
      const { a, b, c, d, m } = people as Record<string, User>;
      await kudos(store, b!, [a!], ['thank'], 10);
      await kudos(store, c!, [a!, d!], ['own', 'thank'], 20); // base 1.5, split 1/√2 each
      removable = await kudos(store, b!, [a!], ['own'], 30); // 2nd from Ben: 2 × 0.5
      await kudos(store, d!, [a!], ['listen'], 40);
      await kudos(store, m!, [b!], ['thank'], 50);
      await kudos(store, b!, [a!], ['thank'], -5); // before the period: not counted
      await kudos(store, b!, [a!], ['thank'], END); // at endsAt (exclusive): not counted
    });
    afterEach(() => dispose());

    it('creates periods that do not overlap, with the end after the start', async () => {
      const err = await rejection(createPeriod(store, { name: 'Overlap', startsAt: at(END - 1), endsAt: at(2 * END) }, 'hr', T0), ConflictError);
      expect(err.code).to.equal('period_overlap');
      const range = await rejection(createPeriod(store, { name: 'Empty', startsAt: at(2 * END), endsAt: at(2 * END) }, 'hr', T0), RuleViolationError);
      expect(range.code).to.equal('period_range_invalid');
      const next = await createPeriod(store, { name: 'April', startsAt: at(END), endsAt: at(2 * END) }, 'hr', T0);
      expect((await listPeriods(store)).map((p) => p.id)).to.deep.equal([next.id, period.id]);
    });

    it('scores an open period live: window, removals, zero rows, inactive people left out', async () => {
      const before = await getPeriodScores(store, period.id, { scope: 'all' });
      expect(before.frozen).to.equal(false);
      expect(before.items.map((i) => i.user.id)).to.deep.equal(['c', 'd', 'hr', 'a', 'b', 'm']);
      const ana = before.items.find((i) => i.user.id === 'a');
      // 1 + 1.5/√2 + 2 × 0.5 + 1 = 4.06066
      expect(ana).to.include({ score: 4.06, tier: 'Bronze', eligible: true, distinctGivers: 3, kudosReceived: 4 });
      expect(ana?.breakdown.map((l) => l.points)).to.deep.equal([1, 1.06, 1, 1]);
      expect(before.items.find((i) => i.user.id === 'hr')).to.include({ score: 0, kudosReceived: 0 });
      await store.removeKudos(removable, { by: 'hr', reason: 'duplicate', at: at(60) });
      const after = await getPeriodScores(store, period.id, { scope: new Set(['a', 'e']) });
      expect(after.items.map((i) => [i.user.id, i.score])).to.deep.equal([['a', 3.06]]);
    });

    it('limits scores to the scope the caller may see', async () => {
      const scope = await scoreScopeFor(store, people.m!);
      const scores = await getPeriodScores(store, period.id, { scope });
      expect(scores.items.map((i) => i.user.id)).to.deep.equal(['c', 'd', 'a', 'b', 'm']);
      expect([...(await scoreScopeFor(store, people.a!)) as Set<string>]).to.deep.equal(['a']);
      expect(await scoreScopeFor(store, people.hr!)).to.equal('all');
      await rejection(getPeriodScores(store, 'nope', { scope: 'all' }), NotFoundError);
    });

    it('refuses to close a period before its end (422) and twice (409)', async () => {
      const early = await rejection(closePeriod(store, period.id, 'hr', T0 + (END - 1) * 60_000), RuleViolationError);
      expect(early.code).to.equal('period_not_ended');
      const closed = await closePeriod(store, period.id, 'hr', AFTER_END);
      expect(closed).to.include({ status: 'closed', closedBy: 'hr', closedAt: new Date(AFTER_END).toISOString() });
      const twice = await rejection(closePeriod(store, period.id, 'hr', AFTER_END + 1), ConflictError);
      expect(twice.code).to.equal('period_closed');
      expect((await store.getPeriod(period.id))?.status).to.equal('closed');
      const audit = await store.auditPage({ limit: 10 });
      expect(audit.items.map((e) => e.action)).to.include('period.close');
    });

    it('freezes scores and CSV bytes at close: later edits to kudos, users, weights and rules change nothing', async () => {
      const open = await getReport(store, period.id);
      await closePeriod(store, period.id, 'hr', AFTER_END);
      const scores = await getPeriodScores(store, period.id, { scope: 'all' });
      const report = await getReport(store, period.id);
      expect(report.frozen).to.equal(true);
      expect(report.csv).to.equal(open.csv);
      expect(report.sha256).to.equal(open.sha256);

      await store.removeKudos(removable, { by: 'hr', reason: 'late moderation', at: new Date(AFTER_END).toISOString() });
      await store.updateUser('a', { name: 'Ana Renamed', team: 'Sales', updatedAt: new Date(AFTER_END).toISOString() });
      await store.updateUser('e', { active: true, updatedAt: new Date(AFTER_END).toISOString() });
      const rules = scoringRulesSchema.parse({
        weights: { thank: 5 }, allowancePerPeriod: 10, repeatPairDamping: 1, groupSplit: 'full', minDistinctGivers: 1,
        reciprocalThreshold: 1, reciprocalPenalty: 0.1, tiers: [{ name: 'Only', threshold: 1 }],
      });
      await updateRules(store, rules, 'hr', AFTER_END);

      // The same data scored live now gives other numbers: the freeze is doing real work.
      const pairs: ScoringPair[] = [];
      for await (const p of periodPairs(store, period.startsAt, period.endsAt)) pairs.push(p);
      const live = scorePeriod(pairs, await loadRules(store)).find((r) => r.userId === 'a');
      expect(live?.score).to.not.equal(4.06);

      const again = await getReport(store, period.id);
      expect(Buffer.from(again.csv, 'utf8').equals(Buffer.from(report.csv, 'utf8'))).to.equal(true);
      expect(again.sha256).to.equal(report.sha256);
      expect(await getPeriodScores(store, period.id, { scope: 'all' })).to.deep.equal({ ...scores, period: again.period });
      const rows = parse(again.csv, { bom: true }) as string[][];
      expect(rows.find((r) => r[0] === 'a')?.slice(1, 4)).to.deep.equal(['Ana', 'a@example.test', 'Support']);
      expect(rows.some((r) => r[0] === 'e')).to.equal(false);
    });

    it('scores a period once when its close is retried while the first is still running: the retry gets 409', async () => {
      let reads = 0;
      const spy = new Proxy(store, {
        get(target, key) {
          const value: unknown = Reflect.get(target, key);
          if (key === 'periodPairBatches') return (from: string, to: string) => (reads++, target.periodPairBatches(from, to));
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const [first, retry] = await Promise.allSettled([closePeriod(spy, period.id, 'hr', AFTER_END), closePeriod(spy, period.id, 'hr', AFTER_END)]);
      expect(first.status).to.equal('fulfilled');
      expect(retry.status === 'rejected' && retry.reason instanceof ConflictError && retry.reason.code).to.equal('period_closed');
      expect(reads, 'the pairs were read by one close only').to.equal(1);
      // Done, it lets go: another period's close, or a later one of this period, runs as before.
      await rejection(closePeriod(spy, period.id, 'hr', AFTER_END), ConflictError);
      expect(reads).to.equal(1);
    });

    it("keeps a closed period's lines apart: figures and CSV read without them, a page reads only its people's", async () => {
      const before = await getPeriodScores(store, period.id, { scope: 'all' });
      await closePeriod(store, period.id, 'hr', AFTER_END);
      const data = (await store.getPeriodSnapshot(period.id))?.data as { version: number; results: { breakdown: unknown[] }[] };
      expect(data.version).to.equal(2);
      expect(data.results.every((r) => r.breakdown.length === 0)).to.equal(true);
      const asked: (readonly string[] | undefined)[] = [];
      const spy = new Proxy(store, {
        get(target, key) {
          const value: unknown = Reflect.get(target, key);
          if (key === 'periodSnapshotLines') return (id: string, ids?: readonly string[]) => (asked.push(ids), target.periodSnapshotLines(id, ids));
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const whole = { ...before, frozen: true, period: (await getPeriodScores(spy, period.id, { scope: 'all', breakdown: false })).period };
      expect(asked, 'figures alone read no lines').to.deep.equal([]);
      expect(await getPeriodScores(spy, period.id, { scope: 'all' })).to.deep.equal(whole);
      expect(asked.pop(), 'everyone: all lines at once').to.equal(undefined);
      const page = await getPeriodScores(spy, period.id, { scope: 'all', page: { after: null, limit: 2 } });
      expect(page.items).to.deep.equal(whole.items.slice(0, 2));
      expect(page.more).to.equal(true);
      expect([...(asked.pop() ?? [])].sort()).to.deep.equal(whole.items.slice(0, 2).map((i) => i.user.id).sort());
      const mine = await getPeriodScores(spy, period.id, { scope: new Set(['a', 'm']) });
      expect(mine.items).to.deep.equal(whole.items.filter((i) => i.user.id === 'a' || i.user.id === 'm'));
      expect([...(asked.pop() ?? [])].sort()).to.deep.equal(['a', 'm']);
    });

    it('names the givers of a period closed before lines carried names from the people its snapshot froze', async () => {
      // The close as the code before names wrote it: snapshot version 1, every result with its
      // lines inside (no lines kept apart), and no giverName on any line.
      const olderFormat = (data: unknown, lines: Parameters<Store['closePeriod']>[1] = []) => {
        const d = JSON.parse(JSON.stringify(data)) as { version: number; results: { userId: string; breakdown: Record<string, unknown>[] }[] };
        const apart = new Map(lines.map((l) => [l.userId, JSON.parse(JSON.stringify(l.lines)) as Record<string, unknown>[]]));
        d.version = 1;
        for (const r of d.results) {
          r.breakdown = apart.get(r.userId) ?? [];
          for (const l of r.breakdown) delete l.giverName;
        }
        return d;
      };
      const olderWriter = new Proxy(store, {
        get(target, key) {
          const value: unknown = Reflect.get(target, key);
          if (key === 'closePeriod') {
            return (s: Parameters<Store['closePeriod']>[0], lines: Parameters<Store['closePeriod']>[1]) => target.closePeriod({ ...s, data: olderFormat(s.data, lines) });
          }
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      await closePeriod(olderWriter, period.id, 'hr', AFTER_END);
      await store.updateUser('b', { name: 'Ben Renamed', updatedAt: new Date(AFTER_END).toISOString() });
      const ana = (await getPeriodScores(store, period.id, { scope: new Set(['a']) })).items[0];
      expect(ana?.breakdown.map((l) => [l.giverId, l.giverName])).to.deep.equal([['b', 'Ben'], ['c', 'Cleo'], ['b', 'Ben'], ['d', 'Dev']]);
    });

    it('builds a live CSV for an open period with every active person', async () => {
      const report = await getReport(store, period.id);
      const rows = parse(report.csv, { bom: true }) as string[][];
      expect(rows.slice(1).map((r) => r[0])).to.deep.equal(['c', 'd', 'hr', 'a', 'b', 'm']);
      expect(rows.find((r) => r[0] === 'a')?.slice(4)).to.deep.equal(['m@example.test', '4', '3', '4.06', 'Bronze', 'yes', '']);
    });

    it('updates rules with an audit entry and rejects weights for unknown behaviours', async () => {
      const input = scoringRulesSchema.parse({
        weights: { own: 3 }, allowancePerPeriod: null, repeatPairDamping: 0.25, groupSplit: 'equal', minDistinctGivers: 2,
        reciprocalThreshold: 4, reciprocalPenalty: 0.5, tiers: [{ name: 'Star', threshold: 2 }],
      });
      const saved = await updateRules(store, input, 'hr', T0);
      expect(saved).to.include({ repeatPairDamping: 0.25, groupSplit: 'equal', minDistinctGivers: 2 });
      expect(saved.weights).to.deep.equal({ thank: 1, own: 3, listen: 1 });
      expect((await store.getBehaviour('own'))?.weight).to.equal(3);
      const entry = (await store.auditPage({ limit: 5 })).items.find((e) => e.action === 'scoring_rules.update');
      expect(entry?.actorId).to.equal('hr');
      const bad = await rejection(updateRules(store, { ...input, weights: { nope: 1 } }, 'hr', T0), RuleViolationError);
      expect(bad.code).to.equal('unknown_behaviour');
    });

    it('reports insights: nobody-received, nobody-gave, teams with Gini, behaviour groups', async () => {
      const all = await periodInsights(store, period, 'all');
      expect(all.receivedNothing.map((p) => p.id)).to.deep.equal(['c', 'hr', 'm']);
      expect(all.gaveNothing.map((p) => p.id)).to.deep.equal(['hr', 'a']);
      expect(all.byTeam).to.deep.equal([
        { team: 'Billing', people: 2, kudosReceived: 1, recipients: 1, gini: 0.5 },
        { team: 'People', people: 1, kudosReceived: 0, recipients: 0, gini: 0 },
        // received a 4, b 1, m 0: sorted 0,1,4 → 2·(1·0+2·1+3·4)/(3·5) − 4/3 = 0.533
        { team: 'Support', people: 3, kudosReceived: 5, recipients: 2, gini: 0.533 },
      ]);
      expect(all.byBehaviourGroup).to.deep.equal([
        { group: 'Make the Customer #1', count: 4 },
        { group: 'Effective Problem Resolution', count: 3 },
        { group: 'Determine Customer Needs', count: 1 },
      ]);
      const team = await periodInsights(store, period, new Set(['c', 'd']));
      expect(team.byTeam.map((t) => t.team)).to.deep.equal(['Billing']);
      expect(team.receivedNothing.map((p) => p.id)).to.deep.equal(['c']);
    });
  });
}
