import { expect } from 'chai';
import type { Api } from '../support/api.js';
import { buildUser } from '../support/api.js';
import { forEachStore } from '../support/harness.js';

const DAY = 24 * 3600_000;

interface Line {
  kudosId: string | null;
  giverId: string | null;
  giverName: string | null;
  private?: true;
}
interface Row {
  user: { id: string };
  breakdown: Line[];
}

/**
 * Breakdown lines name their giver: as at close for a closed period, as now for an open one, even
 * when the viewer's directory no longer lists that giver.
 */
forEachStore('score breakdowns name their givers', (h) => {
  let hr: Api;
  let manager: { user: { id: string; name: string }; api: Api };
  let report: { user: { id: string; name: string }; api: Api };
  let giver: { user: { id: string; name: string }; api: Api };
  let secret: { user: { id: string; name: string }; api: Api };
  let closedId = '';
  let openId = '';
  const kudos: Record<'closed' | 'open' | 'private', string> = { closed: '', open: '', private: '' };

  const linesOf = async (api: Api, periodId: string): Promise<Line[]> => {
    const res = await api.get(`/api/v1/periods/${periodId}/scores?user=${report.user.id}`);
    expect(res.status, res.text).to.equal(200);
    return (res.body.items as Row[])[0]!.breakdown;
  };
  const lineOf = (lines: Line[], kudosId: string) => lines.find((l) => l.kudosId === kudosId);

  before(async () => {
    // A stretch of time no other suite uses, so no other kudos fall into these periods.
    const start = Date.parse('2035-04-01T00:00:00.000Z');
    h().clock.ms = start + 3600_000;
    hr = (await buildUser(h().admin, { role: 'hr', team: 'People' })).api;
    manager = await buildUser(h().admin, { role: 'manager', team: 'Names', name: 'Nora Manager' });
    report = await buildUser(h().admin, { team: 'Names', name: 'Rafael Report', managerId: manager.user.id });
    giver = await buildUser(h().admin, { team: 'Elsewhere', name: 'Gina Original' });
    secret = await buildUser(h().admin, { team: 'Elsewhere', name: 'Paz Private' });
    const period = async (name: string, from: number) => {
      const res = await hr.post('/api/v1/periods', { name, startsAt: new Date(from).toISOString(), endsAt: new Date(from + DAY).toISOString() });
      expect(res.status, res.text).to.equal(201);
      return res.body.id as string;
    };
    closedId = await period('Names closed', start);
    openId = await period('Names open', start + 2 * DAY);
    const give = async (from: Api, visibility: 'public' | 'private' = 'public') => {
      h().clock.advance(60_000);
      const res = await from.post('/api/v1/kudos', { recipientIds: [report.user.id], behaviourKeys: ['empathize'], message: 'Named in the breakdown', visibility });
      expect(res.status, res.text).to.equal(201);
      return res.body.id as string;
    };
    kudos.closed = await give(giver.api);
    kudos.private = await give(secret.api, 'private');
    h().clock.ms = start + 2 * DAY + 3600_000;
    kudos.open = await give(giver.api);
    const closed = await hr.post(`/api/v1/periods/${closedId}/close`);
    expect(closed.status, closed.text).to.equal(200);
    // After the close: the giver is renamed, then leaves.
    expect((await h().admin.patch(`/api/v1/users/${giver.user.id}`, { name: 'Gina Renamed' })).status).to.equal(200);
    expect((await h().admin.patch(`/api/v1/users/${giver.user.id}`, { active: false })).status).to.equal(200);
  });

  it('keeps the name at close on a closed period and shows the current name on an open one', async () => {
    const closed = lineOf(await linesOf(hr, closedId), kudos.closed);
    expect(closed).to.deep.include({ giverId: giver.user.id, giverName: 'Gina Original' });
    const open = lineOf(await linesOf(hr, openId), kudos.open);
    expect(open).to.deep.include({ giverId: giver.user.id, giverName: 'Gina Renamed' });
  });

  it("names a deactivated giver for a manager and an employee, whose directory leaves them out", async () => {
    const directory = await manager.api.get(`/api/v1/users?q=${encodeURIComponent('Gina')}`);
    expect(directory.body.items, 'not in the directory a manager reads').to.deep.equal([]);
    for (const api of [manager.api, report.api]) {
      expect(lineOf(await linesOf(api, closedId), kudos.closed)?.giverName).to.equal('Gina Original');
      expect(lineOf(await linesOf(api, openId), kudos.open)?.giverName).to.equal('Gina Renamed');
    }
  });

  it('names no one on a private line hidden from the viewer, and the giver to those who may see it', async () => {
    const hidden = (await linesOf(manager.api, closedId)).filter((l) => l.private);
    expect(hidden).to.have.length(1);
    expect(hidden[0]).to.deep.include({ kudosId: null, giverId: null, giverName: null, private: true });
    expect(JSON.stringify(hidden[0])).not.to.include('Paz');
    expect(lineOf(await linesOf(hr, closedId), kudos.private)?.giverName, 'hr').to.equal('Paz Private');
    expect(lineOf(await linesOf(report.api, closedId), kudos.private)?.giverName, 'its recipient').to.equal('Paz Private');
  });
});
