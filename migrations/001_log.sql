-- 001: the log engine's tables. Several logs (for example 'rekor' and 'ct') share one schema;
-- every row carries its log's name. See docs/design/log-storage.md.
--
-- No foreign keys from the hot tables to `logs`: they would add a lookup per inserted row, and the
-- only writer (the commit transaction) has already locked the log's row by moving its head.

-- One row per log: its identity and its signed head. The head moves only by compare-and-swap
-- (UPDATE ... WHERE size = expected), which is also the row lock that serialises writers.
CREATE TABLE logs (
  name        text        PRIMARY KEY CHECK (name <> '' AND length(name) <= 64),
  log_id      bytea       NOT NULL CHECK (length(log_id) = 32),
  size        int8        NOT NULL CHECK (size >= 0),
  root        bytea       NOT NULL CHECK (length(root) = 32),
  checkpoint  text        NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- C2SP tlog-tiles: tile (level, idx) holds up to 256 node hashes of height 8*level. A partial tile
-- is overwritten by wider versions of itself; rows never shrink.
CREATE TABLE tiles (
  log     text  NOT NULL,
  level   int4  NOT NULL CHECK (level >= 0),
  idx     int8  NOT NULL CHECK (idx >= 0),
  hashes  bytea NOT NULL CHECK (length(hashes) BETWEEN 32 AND 8192 AND length(hashes) % 32 = 0),
  PRIMARY KEY (log, level, idx)
);

-- The leaves: read by index (PK), by range (PK), and by leaf hash (the UNIQUE index, which is also
-- the duplicate check).
CREATE TABLE entries (
  log              text  NOT NULL,
  idx              int8  NOT NULL CHECK (idx >= 0),
  leaf_hash        bytea NOT NULL CHECK (length(leaf_hash) = 32),
  body             bytea NOT NULL,
  integrated_time  int8  NOT NULL,
  extra            bytea,
  PRIMARY KEY (log, idx),
  CONSTRAINT entries_log_leaf_hash_key UNIQUE (log, leaf_hash)
);

-- Search index, written in the same transaction as the entries (never lags behind the log).
-- The PK serves both `key = ANY(...)` lookups and the per-key ordering by index.
CREATE TABLE search_keys (
  log  text NOT NULL,
  key  text NOT NULL,
  idx  int8 NOT NULL,
  PRIMARY KEY (log, key, idx)
);
