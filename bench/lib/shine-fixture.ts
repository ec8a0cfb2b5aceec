import { Api, buildUser } from '../../test/support/api.js';

export interface ShineFixture {
  admin: Api;
  /** Employees who post in the POST benchmark, one token each. */
  givers: string[];
  recipientIds: string[];
  behaviourKeys: string[];
  /** Tokens the fan-out clients connect with: employees and TV displays. */
  liveTokens: string[];
}

async function inParallel<T>(n: number, width: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < n; i = next++) out[i] = await make(i);
    }),
  );
  return out;
}

/** People, behaviours and displays for the benchmarks, created through the public API. */
export async function prepareShine(url: string, o: { givers: number; recipients: number; displays: number }): Promise<ShineFixture> {
  const admin = await new Api(url).loginAdmin();
  const givers = await inParallel(o.givers, 4, (i) => buildUser(admin, { name: `Giver ${i}`, team: `Team ${i % 5}` }));
  const recipients = await inParallel(o.recipients, 4, (i) => buildUser(admin, { name: `Recipient ${i}`, team: `Team ${i % 5}` }));
  const displays = await inParallel(o.displays, 4, async (i) => {
    const res = await admin.post<{ token: string }>('/api/v1/displays', { name: `Bench screen ${i}` });
    if (res.status !== 201) throw new Error(`display: ${res.status} ${res.text}`);
    return res.body.token;
  });
  const catalog = await admin.get<Array<{ key: string; active: boolean }>>('/api/v1/behaviours');
  return {
    admin,
    givers: givers.map((g) => g.api.token as string),
    recipientIds: recipients.map((r) => r.user.id),
    behaviourKeys: catalog.body.filter((b) => b.active).map((b) => b.key),
    liveTokens: [...givers.map((g) => g.api.token as string), ...recipients.map((r) => r.api.token as string), ...displays],
  };
}
