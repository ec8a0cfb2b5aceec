/**
 * Multi-document transactions where the deployment has them: a replica set or a sharded cluster
 * (what docs/mongodb.md tells production to run). A standalone server refuses them, and there
 * the writes run one after the other, as before.
 */
import type { ClientSession } from 'mongoose';

/** Where sessions come from: the store's connection (a stand-in in unit tests). */
export interface SessionSource {
  startSession(): Promise<ClientSession>;
}

/** How the writes ran: in one transaction, or in order without one (standalone server). */
export type WriteMode = 'transaction' | 'ordered';

/** The server's IllegalOperation code, and the words a standalone mongod answers a transaction with. */
const ILLEGAL_OPERATION = 20;
const STANDALONE_REFUSAL = 'Transaction numbers are only allowed on a replica set member or mongos';

/**
 * True for the refusal a standalone server gives the first command of a transaction. Both the
 * code and the words must match: IllegalOperation alone has other meanings, and taking one of
 * those for "no transactions here" would quietly drop the atomicity this module is for.
 */
export function isTransactionUnsupportedError(err: unknown): boolean {
  const e = typeof err === 'object' && err !== null ? (err as { code?: unknown; message?: unknown }) : null;
  return e !== null && e.code === ILLEGAL_OPERATION && typeof e.message === 'string' && e.message.includes(STANDALONE_REFUSAL);
}

/**
 * Runs `writes` as one transaction, passing them the session every operation must carry; where
 * the server refuses transactions, runs them again without a session, in order.
 *
 * Why try-then-fall-back rather than detecting the topology (a `hello` reply's `setName`, or
 * `msg: 'isdbgrid'` from mongos) once at start: the server that is asked to run the transaction
 * answers for itself, at the moment it matters, so no guess can be wrong or stale. A guess can be
 * both: `directConnection=true` to a replica-set member reports a single-server topology, a load
 * balancer hides what is behind it, and a standalone restarted as a replica-set member keeps its
 * hosts. A wrong "replica set" would fail every rules save; a wrong "standalone" would silently
 * give up atomicity. The fallback is narrow (isTransactionUnsupportedError) and costs one refused
 * round trip per call on a standalone only, for a rare HR action. Nothing was written by the
 * refused attempt: the server refuses the transaction's first command before running it.
 *
 * `writes` must let driver errors through untranslated (no guard() inside): withTransaction
 * retries the whole callback on a TransientTransactionError label and the commit on an
 * UnknownTransactionCommitResult one (for up to 120 s), and it only sees the labels on the
 * driver's own error. What it gives up on reaches the caller, whose guard() answers 503.
 */
export async function inTransactionWherePossible(
  sessions: SessionSource,
  writes: (session: ClientSession | undefined) => Promise<void>,
): Promise<WriteMode> {
  const session = await sessions.startSession();
  try {
    await session.withTransaction(() => writes(session));
    return 'transaction';
  } catch (err) {
    if (!isTransactionUnsupportedError(err)) throw err;
  } finally {
    await session.endSession();
  }
  await writes(undefined);
  return 'ordered';
}
