/**
 * Translation of mongodb / mongoose driver errors into the domain's error classes, so callers
 * never see a driver type: duplicate keys become ConflictError (with the field that clashed),
 * a database that cannot be reached becomes StoreUnavailableError. The driver error is kept as
 * `cause` for the logs.
 */
import { AppError, ConflictError, StoreUnavailableError } from '../../domain/errors.js';

/** How a clashing field is reported to clients: a stable code and a human sentence. */
const CONFLICTS: Record<string, { code: string; message: string }> = {
  email: { code: 'email_taken', message: 'A user with this email already exists.' },
  key: { code: 'behaviour_exists', message: 'A behaviour with this key already exists.' },
  idempotencyKey: {
    code: 'duplicate_idempotency_key',
    message: 'This Idempotency-Key was already used for another kudos.',
  },
  tokenHash: { code: 'conflict', message: 'A display with this token already exists.' },
};

/**
 * Errors that mean "the database is not there right now" rather than "your write is wrong".
 * Names, not instanceof: mongoose and the app may load different copies of the driver.
 */
const UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
  'MongoClientClosedError',
  'MongoPoolClosedError',
  'MongoWaitQueueTimeoutError',
  'WaitQueueTimeoutError',
  'MongoOperationTimeoutError',
]);

/** Server error codes for a node that is stepping down, shutting down or unreachable. */
const UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10058, // LegacyNotPrimary
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/**
 * Labels the driver or server puts on an error that a retry on a healthy topology could pass:
 * a failover the driver's own single retry (or withTransaction's retries, for up to 120 s) did
 * not ride out, whatever the error's code. UnknownTransactionCommitResult: a commit whose outcome
 * withTransaction could not learn; the writes Shine runs in transactions are idempotent, so
 * "try again" is the right answer.
 */
const UNAVAILABLE_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'UnknownTransactionCommitResult', 'ResetPool'];

/** What a collection's `_id` means in domain words, for conflict reports on it. */
export interface ErrorContext {
  /** The domain field stored as `_id` (default 'id'; behaviours use 'key'). */
  idField?: string;
  /** The thing the collection holds, for messages ("user", "kudos"). */
  what?: string;
}

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  keyPattern?: unknown;
  keyValue?: unknown;
  errorLabels?: unknown;
};

function asErrorLike(err: unknown): ErrorLike | null {
  return typeof err === 'object' && err !== null ? (err as ErrorLike) : null;
}

/** True for a unique-index violation, however the driver wrapped it (single or bulk write). */
export function isDuplicateKeyError(err: unknown): boolean {
  const e = asErrorLike(err);
  return e !== null && (e.code === 11000 || e.code === 11001);
}

/** True when the error says the database is unreachable, not that the request was wrong. */
export function isUnavailableError(err: unknown): boolean {
  const e = asErrorLike(err);
  if (e === null) return false;
  if (typeof e.name === 'string' && UNAVAILABLE_NAMES.has(e.name)) return true;
  if (typeof e.code === 'number' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (Array.isArray(e.errorLabels) && e.errorLabels.some((l) => UNAVAILABLE_LABELS.includes(l as string))) return true;
  // Mongoose refuses commands before the first connection when bufferCommands is off.
  return e.name === 'MongooseError' && typeof e.message === 'string' && e.message.includes('initial connection');
}

/**
 * The fields of the unique index that was violated: from `keyPattern` (servers >= 4.2), else
 * `keyValue`, else the index name in the message (`index: giverId_1_idempotencyKey_1 dup key`).
 */
export function duplicateKeyFields(err: unknown): string[] {
  const e = asErrorLike(err);
  if (e === null) return [];
  for (const source of [e.keyPattern, e.keyValue]) {
    if (typeof source === 'object' && source !== null) {
      const keys = Object.keys(source);
      if (keys.length > 0) return keys;
    }
  }
  const match = typeof e.message === 'string' ? /index: (\S+)/.exec(e.message) : null;
  if (!match?.[1]) return [];
  if (match[1] === '_id_') return ['_id'];
  return match[1]
    .split(/_-?1(?:_|$)/)
    .filter((part) => part.length > 0);
}

/** The ConflictError for a clash on `field`, with its stable code when it has one. */
export function fieldConflict(field: string, ctx: ErrorContext = {}, cause?: unknown): ConflictError {
  const known = CONFLICTS[field];
  const message = known?.message ?? `A ${ctx.what ?? 'record'} with this ${field} already exists.`;
  return new ConflictError(field, message, known?.code ?? 'conflict', cause === undefined ? undefined : { cause });
}

function conflictFor(err: unknown, ctx: ErrorContext): ConflictError {
  const fields = duplicateKeyFields(err).map((f) => (f === '_id' ? (ctx.idField ?? 'id') : f));
  // A compound index names its scope first (giverId, key): the last field is the one that clashed.
  const field = fields.find((f) => f in CONFLICTS) ?? fields[fields.length - 1] ?? 'id';
  return fieldConflict(field, ctx, err);
}

/**
 * Maps a driver error to the domain error it means; domain errors and anything unrecognised
 * are returned unchanged (a bug should surface as a 500 with its stack, not be disguised).
 */
export function translateMongoError(err: unknown, ctx: ErrorContext = {}): unknown {
  if (err instanceof AppError) return err;
  if (isDuplicateKeyError(err)) return conflictFor(err, ctx);
  if (isUnavailableError(err)) return new StoreUnavailableError(undefined, { cause: err });
  return err;
}

/** Runs a database operation and rethrows its failure in domain terms. */
export async function guard<T>(op: () => Promise<T>, ctx: ErrorContext = {}): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw translateMongoError(err, ctx);
  }
}
