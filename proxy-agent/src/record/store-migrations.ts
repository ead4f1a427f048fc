import type { StoreDb } from "./store-database";
import { pragmaValue } from "./sqlite-pragma";

/**
 * Schema versions, applied in order by `migrate()` and tracked in `PRAGMA user_version`.
 * Never edit a shipped migration: append a new one.
 *
 * Every row carries its record's UUIDv7 `id`: the local file is the cloud outbox, and the cloud
 * de-duplicates on that id, so re-sending after a crash never double-counts.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: calls, schema snapshots, meta and the shipping cursor.
  `
  CREATE TABLE calls (
    -- Insertion order, the outbox's cursor. Not the UUIDv7 id: ids are minted when a call starts,
    -- rows are written when it ends, so a long call's id sorts before rows written earlier.
    row_seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT    NOT NULL UNIQUE,
    ts             REAL    NOT NULL,  -- start, Unix epoch ms
    duration_us    INTEGER NOT NULL,
    server_id      TEXT    NOT NULL,
    transport      TEXT    NOT NULL,
    kind           TEXT    NOT NULL,  -- request | notification | passthrough
    direction      TEXT    NOT NULL,  -- c2s | s2c
    session_id     TEXT,
    client_name    TEXT,
    client_version TEXT,
    method         TEXT    NOT NULL,
    target         TEXT,
    rpc_id         TEXT,
    status         TEXT    NOT NULL,
    error_code     INTEGER,
    error_message  TEXT,
    bytes_in       INTEGER NOT NULL,
    bytes_out      INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    http_status    INTEGER,
    payload        TEXT               -- redacted JSON, only with --capture-payloads
  );
  CREATE INDEX calls_server_ts ON calls (server_id, ts);
  CREATE INDEX calls_server_target_ts ON calls (server_id, target, ts);
  CREATE INDEX calls_session_seq ON calls (session_id, seq);
  CREATE INDEX calls_ts ON calls (ts);

  -- One row per distinct version of a (server, kind) list; a new row only when the hash changes.
  CREATE TABLE schema_snapshots (
    row_seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    server_id  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    hash       TEXT NOT NULL,
    canonical  TEXT NOT NULL,
    first_seen REAL NOT NULL,
    last_seen  REAL NOT NULL
  );
  CREATE INDEX schema_snapshots_server_kind ON schema_snapshots (server_id, kind, first_seen);

  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  -- The shipper's position per destination (cloud URL): rows with row_seq up to these were
  -- acknowledged. Rows are never deleted on acknowledgement; local analytics keep them.
  CREATE TABLE outbox_cursor (
    destination   TEXT PRIMARY KEY,
    calls_seq     INTEGER NOT NULL DEFAULT 0,
    snapshots_seq INTEGER NOT NULL DEFAULT 0,
    updated_at    REAL    NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database up to `SCHEMA_VERSION`, one transaction per step. */
export function migrate(db: StoreDb): void {
  const current = userVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new Error(`database schema version ${current} is newer than this tapline (${SCHEMA_VERSION}); upgrade tapline`);
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

export function userVersion(db: StoreDb): number {
  return Number(pragmaValue(db, "user_version"));
}
