import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import type { Api } from '../support/api.js';
import { buildUser } from '../support/api.js';
import { forEachStore } from '../support/harness.js';

const HOUR = 3600_000;

interface ScoreRow {
  user: { id: string; name: string; team: string };
  score: number;
  tier: string | null;
  eligible: boolean;
  distinctGivers: number;
  breakdown: { kudosId: string | null; giverId: string | null; points: number; adjustments: { rule: string; factor: number }[] }[];
}

forEachStore('periods, scores and payroll reports', (h) => {
  let hr: Api;
  let manager: { user: { id: string }; api: Api };
  const staff: { user: { id: string; email: string }; api: Api }[] = [];
  let periodId = '';

  before(async () => {
    // A quiet stretch of time of our own, so kudos from other suites cannot fall in.
    h().clock.ms = Date.parse('2032-05-01T00:00:00.000Z');
    hr = (await buildUser(h().admin, { role: 'hr', team: 'People' })).api;
    manager = await buildUser(h().admin, { role: 'manager', team: 'Zeta', name: 'Mona Manager' });
    const hostile = ['=HYPERLINK("http://evil.example","x")', 'Comma, "Quoted" Name', 'Line\u2028Break Person', '+1 Plus', '-2 Minus', '@At Sign', 'Ünïcødé Ærøskøbing'];
    for (const [i, name] of hostile.entries()) {
      staff.push(await buildUser(h().admin, { name, team: i % 2 ? 'Zeta' : 'Alpha, Inc', managerId: i < 3 ? manager.user.id : null }));
    }
    const created = await hr.post('/api/v1/periods', { name: 'May 2032', startsAt: '2032-05-01T00:00:00Z', endsAt: '2032-06-01T00:00:00Z' });
    expect(created.status, created.text).to.equal(201);
    periodId = created.body.id;
    const give = async (from: number, to: number[], behaviours = ['empathize']) => {
      h().clock.advance(HOUR);
      const res = await staff[from]!.api.post('/api/v1/kudos', { recipientIds: to.map((i) => staff[i]!.user.id), behaviourKeys: behaviours, message: 'For the payroll test' });
      expect(res.status, res.text).to.equal(201);
    };
    await give(1, [0]);
    await give(2, [0]);
    await give(3, [0, 1]);
    await give(1, [0]);
    await give(4, [2], ['apologize', 'take-ownership']);
  });

  const csvOf = async () => {
    const res = await fetch(`${h().server.url}/api/v1/periods/${periodId}/report.csv`, { headers: { authorization: `Bearer ${hr.token}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { res, bytes };
  };

  it('validates periods: end after start, no overlaps', async () => {
    const bad = await hr.post('/api/v1/periods', { name: 'Backwards', startsAt: '2032-07-01T00:00:00Z', endsAt: '2032-06-01T00:00:00Z' });
    expect(bad.status).to.equal(422);
    expect(bad.body.error.code).to.equal('period_range_invalid');
    const overlap = await hr.post('/api/v1/periods', { name: 'Overlap', startsAt: '2032-05-15T00:00:00Z', endsAt: '2032-06-15T00:00:00Z' });
    expect(overlap.status).to.equal(409);
    expect(overlap.body.error.code).to.equal('period_overlap');
    expect((await staff[0]!.api.post('/api/v1/periods', { name: 'Mine', startsAt: '2033-01-01T00:00:00Z', endsAt: '2033-02-01T00:00:00Z' })).status).to.equal(403);
    // Beyond the year 9999 in UTC, string order breaks (every overlap check compares strings).
    const far = await hr.post('/api/v1/periods', { name: 'Far', startsAt: '2090-01-01T00:00:00Z', endsAt: '9999-12-31T23:59:59-23:59' });
    expect(far.status, far.text).to.equal(400);
    expect(far.body.error.details[0].path).to.equal('endsAt');
    const feed = await hr.get(`/api/v1/kudos?until=${encodeURIComponent('9999-12-31T23:59:59-23:59')}`);
    expect(feed.status).to.equal(400);
  });

  it('lists periods and displays as every list: newest first, limit and cursor, {items, nextCursor}', async () => {
    for (const month of ['01', '02', '03']) {
      const res = await hr.post('/api/v1/periods', { name: `Paged ${month}`, startsAt: `2040-${month}-01T00:00:00Z`, endsAt: `2040-${month}-02T00:00:00Z` });
      expect(res.status, res.text).to.equal(201);
    }
    const first = await staff[0]!.api.get('/api/v1/periods?limit=2');
    expect(first.body.items.map((p: { name: string }) => p.name)).to.deep.equal(['Paged 03', 'Paged 02']);
    const second = await staff[0]!.api.get(`/api/v1/periods?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((p: { name: string }) => p.name)).to.deep.equal(['Paged 01', 'May 2032']);
    const all = await staff[0]!.api.get('/api/v1/periods');
    expect(all.body.nextCursor).to.equal(null);
    expect((await staff[0]!.api.get('/api/v1/periods?limit=0')).status).to.equal(400);

    for (const name of ['Paged TV 1', 'Paged TV 2', 'Paged TV 3']) {
      h().clock.advance(1000); // the test clock stands still otherwise: same instant, id order
      expect((await h().admin.post('/api/v1/displays', { name })).status).to.equal(201);
    }
    const screens = await h().admin.get('/api/v1/displays?limit=2');
    expect(screens.body.items.map((d: { name: string }) => d.name)).to.deep.equal(['Paged TV 3', 'Paged TV 2']);
    const rest = await h().admin.get(`/api/v1/displays?limit=100&cursor=${screens.body.nextCursor}`);
    expect(rest.body.items[0].name).to.equal('Paged TV 1');
    expect(rest.body.nextCursor).to.equal(null);
  });

  it('accepts weights only for behaviours in the catalog, inherited names included', async () => {
    const rules = (await hr.get('/api/v1/scoring-rules')).body;
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'nope']) {
      const res = await hr.put('/api/v1/scoring-rules', { ...rules, weights: JSON.parse(`{"${key}": 2}`) });
      expect(res.status, key).to.be.oneOf([400, 422]);
    }
  });

  it('shows hr everyone, a manager their reports and an employee only themself', async () => {
    const all = await hr.get(`/api/v1/periods/${periodId}/scores`);
    expect(all.status).to.equal(200);
    const ids = (all.body.items as ScoreRow[]).map((i) => i.user.id);
    for (const s of staff) expect(ids).to.include(s.user.id);
    const mine = await manager.api.get(`/api/v1/periods/${periodId}/scores`);
    expect((mine.body.items as ScoreRow[]).map((i) => i.user.id)).to.have.members([manager.user.id, ...staff.slice(0, 3).map((s) => s.user.id)]);
    const self = await staff[5]!.api.get(`/api/v1/periods/${periodId}/scores`);
    expect((self.body.items as ScoreRow[]).map((i) => i.user.id)).to.deep.equal([staff[5]!.user.id]);
    const other = await staff[5]!.api.get(`/api/v1/periods/${periodId}/scores?user=${staff[0]!.user.id}`);
    expect(other.status).to.equal(404);
    const one = await manager.api.get(`/api/v1/periods/${periodId}/scores?user=${staff[0]!.user.id}`);
    expect(one.body.items).to.have.length(1);
    expect((await staff[5]!.api.get(`/api/v1/periods/${periodId}/report.csv`)).status).to.equal(403);
    expect((await staff[5]!.api.get(`/api/v1/periods/${periodId}/insights`)).status).to.equal(403);
    expect((await manager.api.get(`/api/v1/periods/${periodId}/insights`)).status).to.equal(200);
  });

  it("hides who gave a private kudos from a manager reading a report's breakdown, not its points", async () => {
    h().clock.advance(HOUR);
    const priv = await staff[4]!.api.post('/api/v1/kudos', { recipientIds: [staff[1]!.user.id], behaviourKeys: ['empathize'], message: 'Between us', visibility: 'private' });
    expect(priv.status, priv.text).to.equal(201);
    try {
      const lineOf = async (api: Api) => {
        const res = await api.get(`/api/v1/periods/${periodId}/scores?user=${staff[1]!.user.id}`);
        const row = (res.body.items as ScoreRow[])[0] as ScoreRow;
        return { row, line: row.breakdown.find((l) => l.kudosId === priv.body.id || (l as { private?: boolean }).private) };
      };
      const forManager = await lineOf(manager.api);
      expect(forManager.line).to.deep.include({ kudosId: null, giverId: null, private: true });
      expect(forManager.line?.points).to.be.greaterThan(0);
      const forHr = await lineOf(hr);
      expect(forHr.line).to.deep.include({ kudosId: priv.body.id, giverId: staff[4]!.user.id });
      expect(forManager.row.score, 'the same score, still explained line by line').to.equal(forHr.row.score);
      expect((await lineOf(staff[1]!.api)).line?.giverId, 'its recipient sees it').to.equal(staff[4]!.user.id);
    } finally {
      expect((await staff[4]!.api.delete(`/api/v1/kudos/${priv.body.id}`)).status).to.equal(204);
    }
  });

  it('shows a manager who received a private kudos alongside a report its giver and id: it is not between other people', async () => {
    h().clock.advance(HOUR);
    const priv = await staff[4]!.api.post('/api/v1/kudos', { recipientIds: [staff[1]!.user.id, manager.user.id], behaviourKeys: ['empathize'], message: 'To both of you', visibility: 'private' });
    expect(priv.status, priv.text).to.equal(201);
    try {
      expect((await manager.api.get(`/api/v1/kudos/${priv.body.id}`)).status, 'the manager may read it').to.equal(200);
      const res = await manager.api.get(`/api/v1/periods/${periodId}/scores?user=${staff[1]!.user.id}`);
      const row = (res.body.items as ScoreRow[])[0] as ScoreRow;
      const line = row.breakdown.find((l) => l.kudosId === priv.body.id || (l as { private?: boolean }).private);
      expect(line).to.deep.include({ kudosId: priv.body.id, giverId: staff[4]!.user.id });
      expect(line).not.to.have.property('private');
    } finally {
      expect((await staff[4]!.api.delete(`/api/v1/kudos/${priv.body.id}`)).status).to.equal(204);
    }
  });

  it('explains every point: breakdown lines add up to the score', async () => {
    const all = await hr.get(`/api/v1/periods/${periodId}/scores`);
    const top = (all.body.items as ScoreRow[]).find((i) => i.user.id === staff[0]!.user.id) as ScoreRow;
    expect(top.breakdown).to.have.length(4);
    expect(top.distinctGivers).to.equal(3);
    const sum = top.breakdown.reduce((s, l) => s + Math.round(l.points * 100), 0) / 100;
    expect(sum).to.equal(top.score);
    // 1 (Ben) + 1 (Cat) + 1/sqrt(2) (group of two) + 0.5 (Ben's second, damped) = 3.21
    expect(top.score).to.equal(3.21);
    expect(top.breakdown.flatMap((l) => l.adjustments.map((a) => a.rule))).to.include.members(['group_split', 'repeat_pair']);
    const paged = await hr.get(`/api/v1/periods/${periodId}/scores?limit=2`);
    expect(paged.body.items).to.have.length(2);
    const next = await hr.get(`/api/v1/periods/${periodId}/scores?limit=2&cursor=${paged.body.nextCursor}`);
    expect(next.body.items[0].user.id).to.equal(all.body.items[2].user.id);
    // The cursor is a position, not a person: it still works once that person has left the
    // report (deactivated, say). Here: just after the second person, under an id nobody has.
    const second = all.body.items[1].user;
    const gone = Buffer.from(JSON.stringify([JSON.stringify([second.team, second.name]), `${second.id}~`])).toString('base64url');
    const after = await hr.get(`/api/v1/periods/${periodId}/scores?limit=2&cursor=${gone}`);
    expect(after.status, after.text).to.equal(200);
    expect(after.body.items[0].user.id).to.equal(all.body.items[2].user.id);
    const tampered = await hr.get(`/api/v1/periods/${periodId}/scores?limit=2&cursor=${Buffer.from(JSON.stringify(['Zed', 'x'])).toString('base64url')}`);
    expect(tampered.status).to.equal(400);
  });

  it('answers the figures without lines on breakdown=false, paged or not, and a page with its people\'s lines', async () => {
    const all = (await hr.get(`/api/v1/periods/${periodId}/scores`)).body as { items: ScoreRow[] };
    const withoutLines = all.items.map((i) => ({ ...i, breakdown: [] }));
    expect(all.items.some((i) => i.breakdown.length > 0), 'the fixture has lines to leave out').to.equal(true);
    const figures = await hr.get(`/api/v1/periods/${periodId}/scores?breakdown=false`);
    expect(figures.status, figures.text).to.equal(200);
    expect(figures.body.items).to.deep.equal(withoutLines);
    expect(figures.body.nextCursor).to.equal(null);
    const page = await hr.get(`/api/v1/periods/${periodId}/scores?breakdown=false&limit=2`);
    expect(page.body.items).to.deep.equal(withoutLines.slice(0, 2));
    const rest = await hr.get(`/api/v1/periods/${periodId}/scores?breakdown=true&limit=100&cursor=${page.body.nextCursor}`);
    expect(rest.body.items).to.deep.equal(all.items.slice(2));
    expect(rest.body.nextCursor).to.equal(null);
    // A manager's figures are their scope's, and one person's lines are what the full answer has.
    const mine = await manager.api.get(`/api/v1/periods/${periodId}/scores?breakdown=false`);
    const theirs = (await manager.api.get(`/api/v1/periods/${periodId}/scores`)).body.items as ScoreRow[];
    expect(mine.body.items).to.deep.equal(theirs.map((i) => ({ ...i, breakdown: [] })));
    const one = await hr.get(`/api/v1/periods/${periodId}/scores?user=${staff[0]!.user.id}`);
    expect(one.body.items).to.deep.equal(all.items.filter((i) => i.user.id === staff[0]!.user.id));
    for (const bad of ['yes', '1', 'FALSE', '']) {
      const res = await hr.get(`/api/v1/periods/${periodId}/scores?breakdown=${bad}`);
      expect(res.status, bad).to.equal(400);
      expect(res.body.error.details[0].path).to.equal('breakdown');
    }
  });

  it('exports a payroll CSV that parses back to the scores, with hostile names neutralised', async () => {
    const { res, bytes } = await csvOf();
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect(bytes.subarray(0, 3).toString('hex')).to.equal('efbbbf');
    expect(res.headers.get('x-content-sha256')).to.equal(createHash('sha256').update(bytes).digest('hex'));
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    const scores = (await hr.get(`/api/v1/periods/${periodId}/scores`)).body.items as ScoreRow[];
    const activeUsers = (await hr.get('/api/v1/users?limit=100')).body.items.length;
    expect(rows).to.have.length(activeUsers);
    const header = Object.keys(rows[0]!);
    const idCol = header.find((c) => /id/i.test(c)) as string;
    const scoreCol = header.find((c) => /score/i.test(c)) as string;
    const nameCol = header.find((c) => /name/i.test(c)) as string;
    for (const s of scores) {
      const row = rows.find((r) => r[idCol] === s.user.id);
      expect(row, s.user.name).to.not.equal(undefined);
      expect(Number(row![scoreCol])).to.equal(s.score);
    }
    const names = rows.map((r) => r[nameCol]);
    expect(names).to.include('Comma, "Quoted" Name');
    expect(names).to.include('Ünïcødé Ærøskøbing');
    for (const n of names) expect(n, 'formula cell').not.to.match(/^[=+\-@\t\r]/);
    expect(names).to.include(`'=HYPERLINK("http://evil.example","x")`);
    const teamCol = header.find((c) => /team/i.test(c)) as string;
    expect(rows.some((r) => r[teamCol] === "'Alpha, Inc" || r[teamCol] === 'Alpha, Inc')).to.equal(true);
  });

  it('names the CSV file after the period, its letters kept and its punctuation made safe', async () => {
    const p = await hr.post('/api/v1/periods', { name: ' Été / QA: "final"! ', startsAt: '2033-01-01T00:00:00Z', endsAt: '2033-02-01T00:00:00Z' });
    expect(p.status, p.text).to.equal(201);
    const res = await fetch(`${h().server.url}/api/v1/periods/${p.body.id}/report.csv`, { headers: { authorization: `Bearer ${hr.token}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).to.equal(`attachment; filename="shine-Ete-QA-final.csv"; filename*=UTF-8''shine-%C3%89t%C3%A9-QA-final.csv`);
  });

  it('closes only after the period ended, then freezes scores and CSV bytes for good', async () => {
    const early = await hr.post(`/api/v1/periods/${periodId}/close`);
    expect(early.status).to.equal(422);
    expect(early.body.error.code).to.equal('period_not_ended');
    h().clock.ms = Date.parse('2032-06-01T00:00:10.000Z');
    expect((await hr.post(`/api/v1/periods/${periodId}/close`)).body.error.code, 'grace period').to.equal('period_not_ended');
    h().clock.ms = Date.parse('2032-06-01T00:01:00.000Z');
    const closed = await hr.post(`/api/v1/periods/${periodId}/close`);
    expect(closed.status, closed.text).to.equal(200);
    expect(closed.body.status).to.equal('closed');
    const first = await csvOf();
    const scoresBefore = (await hr.get(`/api/v1/periods/${periodId}/scores`)).body;
    expect(scoresBefore.frozen).to.equal(true);

    // Edits after the close: remove a kudos, rename and deactivate people, change weights and rules.
    const feed = await h().admin.get(`/api/v1/kudos?recipient=${staff[0]!.user.id}&limit=1`);
    await h().admin.delete(`/api/v1/kudos/${feed.body.items[0].id}`, { reason: 'test edit after close' });
    await h().admin.patch(`/api/v1/users/${staff[0]!.user.id}`, { name: 'Renamed Later' });
    await h().admin.patch(`/api/v1/users/${staff[6]!.user.id}`, { active: false });
    const rules = (await hr.get('/api/v1/scoring-rules')).body;
    expect((await hr.put('/api/v1/scoring-rules', { ...rules, groupSplit: 'full', repeatPairDamping: 1, weights: { empathize: 3 } })).status).to.equal(200);

    const second = await csvOf();
    expect(second.bytes.equals(first.bytes)).to.equal(true);
    expect(second.res.headers.get('x-content-sha256')).to.equal(first.res.headers.get('x-content-sha256'));
    expect((await hr.get(`/api/v1/periods/${periodId}/scores`)).body).to.deep.equal(scoresBefore);
    // Read from the snapshot, the figures alone and a page agree with the whole answer.
    const frozenFigures = (await hr.get(`/api/v1/periods/${periodId}/scores?breakdown=false`)).body;
    expect(frozenFigures).to.deep.equal({ ...scoresBefore, items: scoresBefore.items.map((i: ScoreRow) => ({ ...i, breakdown: [] })) });
    const frozenPage = await hr.get(`/api/v1/periods/${periodId}/scores?limit=1`);
    expect(frozenPage.body.items).to.deep.equal(scoresBefore.items.slice(0, 1));
    expect(frozenPage.body.nextCursor).to.be.a('string');
    const twice = await hr.post(`/api/v1/periods/${periodId}/close`);
    expect(twice.status).to.equal(409);
    const audit = await hr.get('/api/v1/audit?limit=100');
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).to.include.members(['period.close', 'scoring_rules.update']);
  });

  it('reports where recognition is thin', async () => {
    const res = await hr.get(`/api/v1/periods/${periodId}/insights`);
    expect(res.status).to.equal(200);
    const nothing = res.body.receivedNothing.map((p: { id: string }) => p.id);
    expect(nothing).to.include(staff[5]!.user.id);
    expect(nothing).not.to.include(staff[0]!.user.id);
    expect(res.body.byTeam.every((t: { gini: number }) => t.gini >= 0 && t.gini <= 1)).to.equal(true);
  });

  it("narrows a manager's insights to their direct reports with scope=reports, the manager left out", async () => {
    type Insights = { receivedNothing: { id: string }[]; gaveNothing: { id: string }[]; byTeam: { team: string; people: number }[] };
    const ids = (list: { id: string }[]) => list.map((p) => p.id);
    const whole = await manager.api.get<Insights>(`/api/v1/periods/${periodId}/insights`);
    expect(whole.status, whole.text).to.equal(200);
    // Without scope: as for scores, the manager and their reports (unchanged for existing clients).
    expect(ids(whole.body.gaveNothing)).to.have.members([manager.user.id, staff[0]!.user.id]);
    const res = await manager.api.get<Insights>(`/api/v1/periods/${periodId}/insights?scope=reports`);
    expect(res.status, res.text).to.equal(200);
    expect(ids(res.body.receivedNothing)).to.deep.equal([]);
    expect(ids(res.body.gaveNothing)).to.deep.equal([staff[0]!.user.id]);
    // Zeta holds the manager too; counted without them, it is the one report in it.
    expect(res.body.byTeam).to.deep.include.members([{ team: 'Zeta', people: 1, kudosReceived: 1, recipients: 1, gini: 0 }]);
    expect(res.body.byTeam.reduce((n, t) => n + t.people, 0)).to.equal(3);
    const bad = await manager.api.get(`/api/v1/periods/${periodId}/insights?scope=everyone`);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('invalid_request');
    expect((await staff[5]!.api.get(`/api/v1/periods/${periodId}/insights?scope=reports`)).status).to.equal(403);
  });
});
