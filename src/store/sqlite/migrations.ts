import type { Database } from 'better-sqlite3';
import { nameKey } from '../../domain/name-key.js';

interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * Runs after `sql`, inside the same transaction, for a step SQL cannot express (a value only
   * JavaScript computes, like the folded name key).
   */
  run?: (db: Database) => void;
}

/**
 * Append-only: never edit a migration that has shipped, add the next version instead.
 * Timestamps are ISO strings in TEXT columns (they sort lexicographically); JSON columns hold
 * values the store never queries inside. Kudos carry denormalised recipient_ids/behaviour_keys
 * (immutable after creation, joined by U+001F) and, since v3, the same as numbers in score_refs,
 * so period scoring streams one index without joins.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        email TEXT NOT NULL UNIQUE,
        team TEXT NOT NULL,
        role TEXT NOT NULL,
        manager_id TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        token_version INTEGER NOT NULL DEFAULT 0,
        password_hash TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX users_by_name ON users (name_key, id);
      CREATE INDEX users_by_team ON users (team, name_key, id);

      CREATE TABLE behaviours (
        key TEXT PRIMARY KEY NOT NULL,
        grp TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        weight REAL NOT NULL,
        active INTEGER NOT NULL
      );

      CREATE TABLE kudos (
        id TEXT PRIMARY KEY NOT NULL,
        giver_id TEXT NOT NULL REFERENCES users (id),
        message TEXT NOT NULL,
        visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
        created_at TEXT NOT NULL,
        teams TEXT NOT NULL,
        recipient_ids TEXT NOT NULL,
        behaviour_keys TEXT NOT NULL,
        idempotency_key TEXT,
        removed_at TEXT,
        removed_by TEXT,
        removed_reason TEXT
      );
      -- Partial: kudos posted without an Idempotency-Key cost no index entry.
      CREATE UNIQUE INDEX kudos_idempotency ON kudos (giver_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
      -- removed_at and giver_id make it covering for giver rankings and givenCounts.
      CREATE INDEX kudos_by_time ON kudos (created_at, id, removed_at, giver_id);
      CREATE INDEX kudos_by_giver ON kudos (giver_id, created_at, id);

      -- Child rows repeat the kudos's created_at (and recipients its removed_at) so each filter
      -- and ranking can walk its own index in time order without touching the kudos table.
      CREATE TABLE kudos_recipients (
        kudos_id TEXT NOT NULL REFERENCES kudos (id),
        user_id TEXT NOT NULL REFERENCES users (id),
        team TEXT NOT NULL,
        position INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        removed_at TEXT,
        PRIMARY KEY (kudos_id, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX kudos_recipients_by_user ON kudos_recipients (user_id, created_at, kudos_id);
      CREATE INDEX kudos_recipients_by_time ON kudos_recipients (created_at, removed_at, user_id, team);

      CREATE TABLE kudos_behaviours (
        kudos_id TEXT NOT NULL REFERENCES kudos (id),
        behaviour_key TEXT NOT NULL REFERENCES behaviours (key),
        position INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (kudos_id, behaviour_key)
      ) WITHOUT ROWID;
      CREATE INDEX kudos_behaviours_by_key ON kudos_behaviours (behaviour_key, created_at, kudos_id);

      CREATE TABLE kudos_teams (
        kudos_id TEXT NOT NULL REFERENCES kudos (id),
        team TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (kudos_id, team)
      ) WITHOUT ROWID;
      CREATE INDEX kudos_teams_by_team ON kudos_teams (team, created_at, kudos_id);

      CREATE TABLE reactions (
        kudos_id TEXT NOT NULL REFERENCES kudos (id),
        user_id TEXT NOT NULL REFERENCES users (id),
        emoji TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (kudos_id, user_id, emoji)
      ) WITHOUT ROWID;

      CREATE TABLE comments (
        id TEXT PRIMARY KEY NOT NULL,
        kudos_id TEXT NOT NULL REFERENCES kudos (id),
        author_id TEXT NOT NULL REFERENCES users (id),
        message TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX comments_by_kudos ON comments (kudos_id, created_at, id);

      CREATE TABLE periods (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        created_at TEXT NOT NULL,
        closed_at TEXT,
        closed_by TEXT
      );
      CREATE INDEX periods_by_start ON periods (starts_at, id);

      CREATE TABLE period_snapshots (
        period_id TEXT PRIMARY KEY NOT NULL REFERENCES periods (id),
        closed_at TEXT NOT NULL,
        closed_by TEXT NOT NULL,
        data TEXT NOT NULL,
        csv TEXT NOT NULL,
        sha256 TEXT NOT NULL
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      );

      CREATE TABLE audit (
        id TEXT PRIMARY KEY NOT NULL,
        at TEXT NOT NULL,
        actor_id TEXT,
        action TEXT NOT NULL,
        target_type TEXT NOT NULL,
        target_id TEXT,
        details TEXT NOT NULL
      );
      CREATE INDEX audit_by_time ON audit (at, id);

      CREATE TABLE displays (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        team TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        last_seen_at TEXT,
        revoked_at TEXT
      );

      CREATE TABLE stored_responses (
        user_id TEXT NOT NULL,
        key TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (user_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX stored_responses_by_time ON stored_responses (created_at);

      CREATE TABLE counters (
        key TEXT PRIMARY KEY NOT NULL,
        count INTEGER NOT NULL,
        reset_at_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'kudos_by_time covers period scoring',
    // Period scoring reads every kudos of a period in (created_at, id) order; with the id lists
    // in the index it never touches the table rows (measured ~15 % faster at 1M kudos).
    sql: `
      DROP INDEX kudos_by_time;
      CREATE INDEX kudos_by_time ON kudos (created_at, id, removed_at, giver_id, recipient_ids, behaviour_keys);
    `,
  },
  {
    version: 3,
    name: 'kudos carry people and behaviours as numbers for period scoring',
    // See sqlite-score-refs.ts for the format and why. seq numbers are dense and never reused
    // (people and behaviours are deactivated, never deleted); rowid is not stable across VACUUM,
    // hence columns of their own. A kudos whose references cannot all be numbered keeps
    // score_refs NULL and is read through its id lists. The index no longer needs the id lists
    // (only the fallback reads them, from the table); giver_id stays for the giver rankings.
    sql: `
      ALTER TABLE users ADD COLUMN seq INTEGER;
      UPDATE users SET seq = numbered.n
        FROM (SELECT rowid AS rid, row_number() OVER (ORDER BY rowid) AS n FROM users) AS numbered
        WHERE users.rowid = numbered.rid;
      CREATE UNIQUE INDEX users_by_seq ON users (seq);

      ALTER TABLE behaviours ADD COLUMN seq INTEGER;
      UPDATE behaviours SET seq = numbered.n
        FROM (SELECT rowid AS rid, row_number() OVER (ORDER BY rowid) AS n FROM behaviours) AS numbered
        WHERE behaviours.rowid = numbered.rid;
      CREATE UNIQUE INDEX behaviours_by_seq ON behaviours (seq);

      ALTER TABLE kudos ADD COLUMN score_refs TEXT;
      -- A NULL anywhere (a reference without its row) makes the whole value NULL.
      UPDATE kudos SET score_refs =
        (SELECT seq FROM users WHERE id = kudos.giver_id)
        || (SELECT CASE WHEN COUNT(*) = 0 THEN '' WHEN COUNT(*) = COUNT(u.seq)
              THEN ',' || group_concat(u.seq, ',' ORDER BY r.position) END
            FROM kudos_recipients r LEFT JOIN users u ON u.id = r.user_id WHERE r.kudos_id = kudos.id)
        || ';'
        || (SELECT CASE WHEN COUNT(*) = 0 THEN '' WHEN COUNT(*) = COUNT(b.seq)
              THEN group_concat(b.seq, ',' ORDER BY kb.position) END
            FROM kudos_behaviours kb LEFT JOIN behaviours b ON b.key = kb.behaviour_key WHERE kb.kudos_id = kudos.id);

      DROP INDEX kudos_by_time;
      CREATE INDEX kudos_by_time ON kudos (created_at, id, removed_at, giver_id, score_refs);
    `,
  },
  {
    version: 4,
    name: 'cache epoch: a counter every change to people, the catalog or settings moves',
    // A process's read cache keeps people, the catalog and the rules while only kudos change
    // (see SqliteDb.version): PRAGMA data_version says that some connection committed, this
    // counter says whether that commit touched these tables. Kudos, reactions and comments,
    // the tables written all day, have no trigger.
    sql: `
      CREATE TABLE cache_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
      INSERT INTO cache_epoch (id, n) VALUES (1, 0);
      CREATE TRIGGER users_epoch_insert AFTER INSERT ON users BEGIN UPDATE cache_epoch SET n = n + 1; END;
      CREATE TRIGGER users_epoch_update AFTER UPDATE ON users BEGIN UPDATE cache_epoch SET n = n + 1; END;
      CREATE TRIGGER users_epoch_delete AFTER DELETE ON users BEGIN UPDATE cache_epoch SET n = n + 1; END;
      CREATE TRIGGER behaviours_epoch_insert AFTER INSERT ON behaviours BEGIN UPDATE cache_epoch SET n = n + 1; END;
      CREATE TRIGGER behaviours_epoch_update AFTER UPDATE ON behaviours BEGIN UPDATE cache_epoch SET n = n + 1; END;
      CREATE TRIGGER behaviours_epoch_delete AFTER DELETE ON behaviours BEGIN UPDATE cache_epoch SET n = n + 1; END;
      CREATE TRIGGER settings_epoch_insert AFTER INSERT ON settings BEGIN UPDATE cache_epoch SET n = n + 1; END;
      CREATE TRIGGER settings_epoch_update AFTER UPDATE ON settings BEGIN UPDATE cache_epoch SET n = n + 1; END;
      CREATE TRIGGER settings_epoch_delete AFTER DELETE ON settings BEGIN UPDATE cache_epoch SET n = n + 1; END;
    `,
  },
  {
    version: 5,
    name: 'name_key folds accents: users re-keyed with domain nameKey',
    // name_key was name.toLowerCase(); it is now nameKey() (src/domain/name-key.ts), so that the
    // directory search ignores accents and sorts "Émile" among the E's. SQLite cannot do Unicode
    // normalisation, so the keys are recomputed here in JS; rows already keyed are left alone
    // (the users update trigger moves the cache epoch, so running processes re-read people).
    sql: '',
    run: (db) => {
      const rows = db.prepare('SELECT id, name, name_key FROM users').all() as { id: string; name: string; name_key: string }[];
      const rekey = db.prepare('UPDATE users SET name_key = ? WHERE id = ?');
      for (const r of rows) {
        const key = nameKey(r.name);
        if (key !== r.name_key) rekey.run(key, r.id);
      }
    },
  },
  {
    version: 6,
    name: 'period_snapshot_lines: breakdown lines of a closed period, one row per person',
    // Closed before this, a period keeps its lines inside period_snapshots.data (snapshot version 1).
    sql: `
      CREATE TABLE period_snapshot_lines (
        period_id TEXT NOT NULL REFERENCES periods (id),
        user_id TEXT NOT NULL,
        lines TEXT NOT NULL,
        PRIMARY KEY (period_id, user_id)
      );
    `,
  },
  {
    version: 7,
    name: 'period_snapshot_lines tagged with the close that staged them; the snapshot names its close',
    // A close stages its lines in many short transactions under a fresh close id, then flips the
    // period and inserts the snapshot naming that id in one short transaction (see
    // sqlite-periods.store.ts); readers follow period_snapshots.close_id only, so the rows of a
    // close that lost or died are never read. Snapshots closed before this take their period id
    // as close id, and so do the lines migration 6 stored for them (a fresh close id is a new
    // ULID, never an existing period's). SQLite cannot change a primary key: the table is rebuilt.
    sql: `
      ALTER TABLE period_snapshots ADD COLUMN close_id TEXT;
      UPDATE period_snapshots SET close_id = period_id;
      CREATE TABLE period_snapshot_lines_v7 (
        close_id TEXT NOT NULL,
        period_id TEXT NOT NULL REFERENCES periods (id),
        user_id TEXT NOT NULL,
        lines TEXT NOT NULL,
        PRIMARY KEY (close_id, user_id)
      );
      INSERT INTO period_snapshot_lines_v7 (close_id, period_id, user_id, lines)
        SELECT period_id, period_id, user_id, lines FROM period_snapshot_lines;
      DROP TABLE period_snapshot_lines;
      ALTER TABLE period_snapshot_lines_v7 RENAME TO period_snapshot_lines;
      CREATE INDEX period_snapshot_lines_by_period ON period_snapshot_lines (period_id, close_id);
    `,
  },
  {
    version: 8,
    name: 'kudos child tables keyed in the order the feed filters walk them',
    // Each child table was a b-tree keyed (kudos_id, …) plus an index (key, created_at, kudos_id)
    // for the feed filters: two b-trees per row, and every new kudos wrote both. Nothing looks a
    // kudos's children up by kudos_id alone (records read the kudos row's id lists), so the
    // filter's order becomes the primary key: three b-trees fewer per kudos, ~9 % fewer pages per
    // commit (docs/performance-history.md, "stop 27"). A probe for one kudos names the whole key
    // (value, k.created_at, k.id). Rows are copied in the new key's order (the old index's), so
    // the new trees are built by appending.
    sql: `
      CREATE TABLE kudos_recipients_v8 (
        user_id TEXT NOT NULL REFERENCES users (id),
        created_at TEXT NOT NULL,
        kudos_id TEXT NOT NULL REFERENCES kudos (id),
        team TEXT NOT NULL,
        position INTEGER NOT NULL,
        removed_at TEXT,
        PRIMARY KEY (user_id, created_at, kudos_id)
      ) WITHOUT ROWID;
      INSERT INTO kudos_recipients_v8 (user_id, created_at, kudos_id, team, position, removed_at)
        SELECT user_id, created_at, kudos_id, team, position, removed_at FROM kudos_recipients
        ORDER BY user_id, created_at, kudos_id;
      DROP TABLE kudos_recipients;
      ALTER TABLE kudos_recipients_v8 RENAME TO kudos_recipients;
      CREATE INDEX kudos_recipients_by_time ON kudos_recipients (created_at, removed_at, user_id, team);

      CREATE TABLE kudos_behaviours_v8 (
        behaviour_key TEXT NOT NULL REFERENCES behaviours (key),
        created_at TEXT NOT NULL,
        kudos_id TEXT NOT NULL REFERENCES kudos (id),
        position INTEGER NOT NULL,
        PRIMARY KEY (behaviour_key, created_at, kudos_id)
      ) WITHOUT ROWID;
      INSERT INTO kudos_behaviours_v8 (behaviour_key, created_at, kudos_id, position)
        SELECT behaviour_key, created_at, kudos_id, position FROM kudos_behaviours
        ORDER BY behaviour_key, created_at, kudos_id;
      DROP TABLE kudos_behaviours;
      ALTER TABLE kudos_behaviours_v8 RENAME TO kudos_behaviours;

      CREATE TABLE kudos_teams_v8 (
        team TEXT NOT NULL,
        created_at TEXT NOT NULL,
        kudos_id TEXT NOT NULL REFERENCES kudos (id),
        PRIMARY KEY (team, created_at, kudos_id)
      ) WITHOUT ROWID;
      INSERT INTO kudos_teams_v8 (team, created_at, kudos_id)
        SELECT team, created_at, kudos_id FROM kudos_teams ORDER BY team, created_at, kudos_id;
      DROP TABLE kudos_teams;
      ALTER TABLE kudos_teams_v8 RENAME TO kudos_teams;
    `,
  },
];

/** The newest schema version this build knows. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * Brings the schema up to date (or up to `target`, for tests of a migration on an older
 * database). Runs in one IMMEDIATE transaction so two processes starting on the same file
 * cannot both apply a migration; safe to call on every start.
 * Returns the versions it applied (empty when already current).
 */
export function migrate(db: Database, nowIso: string = new Date().toISOString(), target = LATEST_SCHEMA_VERSION): number[] {
  const apply = db.transaction((): number[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY NOT NULL,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number };
    if (row.v > LATEST_SCHEMA_VERSION) {
      throw new Error(`Database schema v${row.v} is newer than this build (v${LATEST_SCHEMA_VERSION}); refusing to start.`);
    }
    const applied: number[] = [];
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of MIGRATIONS) {
      if (m.version <= row.v || m.version > target) continue;
      if (m.sql) db.exec(m.sql);
      m.run?.(db);
      record.run(m.version, m.name, nowIso);
      applied.push(m.version);
    }
    return applied;
  });
  return apply.immediate();
}
