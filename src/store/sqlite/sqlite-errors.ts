import { ConflictError, StoreUnavailableError } from '../../domain/errors.js';

interface UniqueRule {
  field: string;
  message: string;
  code: string;
}

/**
 * Unique constraints that callers can trip, keyed by sqlite's "table.col, table.col" wording.
 * Every UNIQUE in migrations.ts that user input can violate has a row here; anything else is a
 * bug and stays a plain error (a 500), which is what we want to hear about.
 */
const UNIQUE_RULES: Record<string, UniqueRule> = {
  'users.email': { field: 'email', message: 'A user with this email already exists.', code: 'email_taken' },
  'users.id': { field: 'id', message: 'A user with this id already exists.', code: 'conflict' },
  'behaviours.key': { field: 'key', message: 'A behaviour with this key already exists.', code: 'behaviour_exists' },
  'kudos.giver_id, kudos.idempotency_key': {
    field: 'idempotencyKey',
    message: 'This Idempotency-Key was already used for another kudos.',
    code: 'duplicate_idempotency_key',
  },
  'kudos.id': { field: 'id', message: 'A kudos with this id already exists.', code: 'conflict' },
  'comments.id': { field: 'id', message: 'A comment with this id already exists.', code: 'conflict' },
  'periods.id': { field: 'id', message: 'A period with this id already exists.', code: 'conflict' },
  'audit.id': { field: 'id', message: 'An audit entry with this id already exists.', code: 'conflict' },
  'displays.id': { field: 'id', message: 'A display with this id already exists.', code: 'conflict' },
  'displays.token_hash': { field: 'tokenHash', message: 'A display with this token already exists.', code: 'conflict' },
};

/** Driver result codes that mean "the database cannot serve us right now", not "bad request". */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|NOTADB|CORRUPT|PROTOCOL)/;

/** better-sqlite3 raises plain TypeErrors for these; they mean the connection is unusable. */
const UNAVAILABLE_MESSAGES = /database connection is not open|database connection is busy|database is locked/i;

function driverCode(err: unknown): string | null {
  if (typeof err !== 'object' || err === null || !('code' in err)) return null;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/**
 * Turns a better-sqlite3 error into the domain error callers can act on (ConflictError for
 * unique violations, StoreUnavailableError for locks, I/O and closed connections), keeping the
 * driver error as `cause`. Anything unrecognised is returned unchanged.
 */
export function translateSqliteError(err: unknown): unknown {
  if (err instanceof ConflictError || err instanceof StoreUnavailableError) return err;
  const code = driverCode(err);
  const message = err instanceof Error ? err.message : '';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const columns = message.replace(/^UNIQUE constraint failed:\s*/, '');
    const rule = UNIQUE_RULES[columns];
    if (rule) return new ConflictError(rule.field, rule.message, rule.code, { cause: err });
    return err;
  }
  if ((code && UNAVAILABLE_CODES.test(code)) || UNAVAILABLE_MESSAGES.test(message)) {
    return new StoreUnavailableError(undefined, { cause: err });
  }
  return err;
}

/** The ConflictError a given unique constraint ("table.col, table.col") stands for. */
export function uniqueConflict(columns: keyof typeof UNIQUE_RULES, cause?: unknown): ConflictError {
  const rule = UNIQUE_RULES[columns];
  if (!rule) throw new Error(`no conflict rule for ${columns}`);
  return new ConflictError(rule.field, rule.message, rule.code, cause === undefined ? undefined : { cause });
}
