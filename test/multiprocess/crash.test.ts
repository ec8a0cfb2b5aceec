import Database from '../../src/store/sqlite/driver.js';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, buildUser } from '../support/api.js';
import { sleep, startShineProcess, type ShineProcess } from '../support/process.js';

const ROUNDS = 10;
const IN_FLIGHT = 6;

interface Sent {
  key: string;
  body: { recipientIds: string[]; behaviourKeys: string[]; message: string; visibility: 'public' | 'private' };
  /** The id of the 201 answer, once one arrived. */
  id: string | null;
}

type KudosView = { id: string; message: string; visibility: string; recipients: Array<{ id: string }>; behaviours: Array<{ key: string }> };

const pick = <T>(items: readonly T[], n: number): T[] => [...items].sort(() => Math.random() - 0.5).slice(0, n);
const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/**
 * The power-cut test: a writer posts kudos as fast as it can while the server is killed with
 * SIGKILL at random moments, then restarted on the same sqlite file (synchronous=FULL). Every
 * kudos that was answered 201 must survive exactly once and whole, whichever connection commits it.
 */
for (const writer of ['event-loop', 'thread'] as const) describe(`crash safety: kill -9 during a burst of writes (sqlite, synchronous=FULL, writer ${writer})`, function () {
  this.timeout(120_000);
  let dataDir = '';
  let server: ShineProcess | null = null;
  const env = { SHINE_SQLITE_SYNCHRONOUS: 'FULL', SHINE_SQLITE_WRITER: writer, SHINE_KUDOS_RATE_LIMIT: '1000000' };
  const start = async (round: number) => (server = await startShineProcess({ dataDir, env, name: `crash round ${round}` }));

  before(async function () {
    dataDir = mkdtempSync(join(tmpdir(), 'shine-crash-'));
  });

  after(async function () {
    await server?.kill9();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged kudos exactly once and whole across ${ROUNDS} SIGKILLs`, async function () {
    const first = await start(0);
    const admin = await new Api(first.url).loginAdmin();
    const giver = await buildUser(admin, { team: 'Support' });
    const recipients = await Promise.all([1, 2, 3, 4].map(() => buildUser(admin, { team: 'Care' })));
    const catalog = await admin.get<Array<{ key: string; active: boolean }>>('/api/v1/behaviours');
    const keys = catalog.body.filter((b) => b.active).map((b) => b.key);
    expect(keys.length).to.be.at.least(3);

    const sent: Sent[] = [];
    const surprises: string[] = [];
    const killDelays: number[] = [];
    let committedButUnanswered = 0;
    const post = async (api: Api, s: Sent) => {
      const res = await api.post<KudosView>('/api/v1/kudos', s.body, { 'Idempotency-Key': s.key });
      if (res.status !== 201) {
        surprises.push(`${s.key}: ${res.status} ${res.text.slice(0, 200)}`);
        return;
      }
      if (s.id !== null && s.id !== res.body.id) surprises.push(`${s.key}: answered ${s.id} first, then ${res.body.id}`);
      s.id = res.body.id;
      return res;
    };
    const next = (): Sent => {
      const n = sent.length;
      const s: Sent = {
        key: `crash-${process.pid}-${n}`,
        body: {
          recipientIds: pick(recipients, randomInt(1, 3)).map((r) => r.user.id),
          behaviourKeys: pick(keys, randomInt(1, 3)),
          message: `crash test kudos #${n}`,
          visibility: n % 5 === 0 ? 'private' : 'public',
        },
        id: null,
      };
      sent.push(s);
      return s;
    };
    // A client that got no answer retries with the same key; the server must not write a twin.
    const retryUnanswered = async (api: Api) => {
      for (const s of sent.filter((x) => x.id === null)) {
        const res = await post(api, s);
        if (res?.headers.get('idempotent-replayed') === 'true') committedButUnanswered++;
      }
    };

    let current = first;
    for (let round = 1; round <= ROUNDS; round++) {
      const api = new Api(current.url, giver.api.token);
      await retryUnanswered(api);
      let stopped = false;
      const worker = async () => {
        while (!stopped) {
          try {
            await post(api, next());
          } catch {
            return; // the connection died with the server: this request stays unanswered
          }
        }
      };
      const workers = Array.from({ length: IN_FLIGHT }, worker);
      const delay = randomInt(200, 800);
      killDelays.push(delay);
      await sleep(delay);
      stopped = true;
      await current.kill9();
      await Promise.all(workers);
      current = await start(round);
    }

    const api = new Api(current.url, giver.api.token);
    await retryUnanswered(api);
    const context = `kill delays ${killDelays.join(',')} ms; ${sent.length} requests; ${committedButUnanswered} committed but unanswered before a kill`;
    expect(surprises, context).to.deep.equal([]);
    expect(sent.filter((s) => s.id === null), context).to.deep.equal([]);

    // The feed, page by page: every request is there exactly once, with what was sent.
    const seen: KudosView[] = [];
    const adminNow = new Api(current.url, admin.token);
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await adminNow.get<{ items: KudosView[]; nextCursor: string | null }>(`/api/v1/kudos?giver=${giver.user.id}&limit=100${q}`);
      expect(page.status, page.text).to.equal(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.length, context).to.equal(sent.length);
    const byId = new Map(seen.map((k) => [k.id, k]));
    expect(byId.size, 'no id twice in the feed').to.equal(seen.length);
    for (const s of sent) {
      const k = byId.get(s.id as string);
      expect(k, `${s.key} (${s.id}) missing from the feed; ${context}`).to.not.equal(undefined);
      expectWhole(k as KudosView, s);
    }

    // And one by one, as a client that kept the id would read it.
    const queue = [...sent];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let s = queue.pop(); s; s = queue.pop()) {
          const res = await adminNow.get<KudosView>(`/api/v1/kudos/${s.id}`);
          expect(res.status, `${s.key}: ${res.text}`).to.equal(200);
          expectWhole(res.body, s);
        }
      }),
    );

    expect(await current.stop(), `graceful stop exit code\n${current.tail()}`).to.equal(0);
    checkDatabase(join(dataDir, 'shine.db'), sent);
    console.log(`      (${sent.length} kudos over ${ROUNDS} kills at ${killDelays.join('/')} ms; ${committedButUnanswered} were committed but unanswered, and their retries got the first kudos back)`);
  });
});

function expectWhole(k: KudosView, s: Sent): void {
  expect(k.message).to.equal(s.body.message);
  expect(k.visibility).to.equal(s.body.visibility);
  expect(k.recipients.map((r) => r.id), `${s.key} recipients`).to.deep.equal(s.body.recipientIds);
  expect(k.behaviours.map((b) => b.key), `${s.key} behaviours`).to.deep.equal(s.body.behaviourKeys);
}

/**
 * Opens the file read-only after the last stop: the database's own checks, then every kudos row
 * against what was sent (child rows in their positions), and no row without its children.
 */
function checkDatabase(file: string, sent: Sent[]): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
    expect(db.pragma('foreign_key_check')).to.deep.equal([]);
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(count(`SELECT COUNT(*) AS n FROM kudos WHERE message LIKE 'crash test kudos #%'`)).to.equal(sent.length);
    expect(count(`SELECT COUNT(*) AS n FROM (SELECT message FROM kudos GROUP BY message HAVING COUNT(*) > 1)`), 'duplicate messages').to.equal(0);
    // Child rows are keyed by their filter value, not by kudos: read each table once, by kudos.
    const byKudos = (sql: string) => {
      const out = new Map<string, string[]>();
      for (const r of db.prepare(sql).all() as Array<{ k: string; v: string }>) out.set(r.k, [...(out.get(r.k) ?? []), r.v]);
      return out;
    };
    const recipients = byKudos('SELECT kudos_id AS k, user_id AS v FROM kudos_recipients ORDER BY kudos_id, position');
    const behaviours = byKudos('SELECT kudos_id AS k, behaviour_key AS v FROM kudos_behaviours ORDER BY kudos_id, position');
    const teams = byKudos('SELECT kudos_id AS k, team AS v FROM kudos_teams');
    const ids = (db.prepare('SELECT id FROM kudos').all() as Array<{ id: string }>).map((r) => r.id);
    const orphans = {
      noRecipients: ids.filter((id) => !recipients.has(id)).length,
      noBehaviours: ids.filter((id) => !behaviours.has(id)).length,
      noTeams: ids.filter((id) => !teams.has(id)).length,
    };
    expect(orphans, 'half-written kudos rows').to.deep.equal({ noRecipients: 0, noBehaviours: 0, noTeams: 0 });
    for (const s of sent) {
      expect(recipients.get(s.id as string), `${s.key} recipient rows`).to.deep.equal(s.body.recipientIds);
      expect(behaviours.get(s.id as string), `${s.key} behaviour rows`).to.deep.equal(s.body.behaviourKeys);
    }
  } finally {
    db.close();
  }
}
