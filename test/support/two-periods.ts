import { expect } from 'chai';
import type { Api } from './api.js';

const DAY = 86_400_000;
/** Midnight UTC of the day `ms` falls in, as the periods API takes a period's bounds. */
const midnight = (ms: number) => `${new Date(ms).toISOString().slice(0, 10)}T00:00:00.000Z`;

export interface TwoPeriods {
  /** "Last quarter": 40 to 10 days before now, closed, so its scores are frozen. */
  closedId: string;
  /** "This month": from 2 days before now to 3 days after, open and under way. */
  currentId: string;
}

/**
 * The two periods the /scores browser tests (team scores, period insights) pick between: a past
 * one that hr has closed and the one under way, made through the API as `hr` around `nowMs`
 * (the server's clock). Every kudos posted afterwards, at `nowMs`, falls in "This month".
 */
export async function buildTwoPeriods(hr: Api, nowMs: number): Promise<TwoPeriods> {
  const past = await hr.post('/api/v1/periods', { name: 'Last quarter', startsAt: midnight(nowMs - 40 * DAY), endsAt: midnight(nowMs - 10 * DAY) });
  expect(past.status, past.text).to.equal(201);
  const closedId = past.body.id as string;
  const closed = await hr.post(`/api/v1/periods/${closedId}/close`, {});
  expect(closed.status, closed.text).to.equal(200);
  const current = await hr.post('/api/v1/periods', { name: 'This month', startsAt: midnight(nowMs - 2 * DAY), endsAt: midnight(nowMs + 3 * DAY) });
  expect(current.status, current.text).to.equal(201);
  return { closedId, currentId: current.body.id as string };
}
