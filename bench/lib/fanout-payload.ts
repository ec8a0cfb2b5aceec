import { performance } from 'node:perf_hooks';

/** Epoch milliseconds with sub-millisecond resolution, comparable between processes on one machine. */
export const wallClock = (): number => performance.timeOrigin + performance.now();

/** The message that carries a broadcast's sequence number, for the bare broadcaster and Shine alike. */
export const fanoutMessage = (seq: number) => `fanout #${seq}`;

export function seqOf(message: unknown): number | null {
  const m = typeof message === 'string' ? /^fanout #(\d+)$/.exec(message) : null;
  return m ? Number(m[1]) : null;
}

/** The message of the n-th kudos the POST benchmark posts. */
export const benchKudosMessage = (n: number) => `Benchmark kudos ${n}: thanks for staying with that customer until it was solved.`;

/** Same shape and about the same size as a Shine kudos view, so both servers send alike. */
export function fakeKudos(seq: number, message = fanoutMessage(seq)) {
  return {
    id: `01JBENCH${String(seq).padStart(18, '0')}`,
    giver: { id: '01JBENCHGIVER0000000000000', name: 'Bench Giver', team: 'Support' },
    recipients: [{ id: '01JBENCHRECIPIENT000000000', name: 'Bench Recipient', team: 'Support' }],
    behaviours: [{ key: 'make-the-customer-number-one', name: 'Make the Customer #1' }],
    message,
    visibility: 'public',
    createdAt: new Date().toISOString(),
    reactions: {},
    myReactions: [],
    commentCount: 0,
  };
}
