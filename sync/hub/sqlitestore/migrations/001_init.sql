-- The hub's database. The log is the truth; devices, pairing codes and heartbeats are
-- operational records; cases and refdata are projections rebuilt from the log.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- seq is assigned by the store inside the write transaction (max + 1), never by
-- AUTOINCREMENT, so the log is gapless. hash = sha256(previous hash || canonical event).
CREATE TABLE log (
	seq        INTEGER PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	device     TEXT NOT NULL,
	dev_seq    INTEGER NOT NULL,
	station    TEXT NOT NULL,
	stream     TEXT NOT NULL,
	kind       TEXT NOT NULL,
	at         TEXT NOT NULL,
	actor_role TEXT NOT NULL,
	actor_id   TEXT NOT NULL,
	actor_name TEXT NOT NULL,
	data       TEXT NOT NULL,
	hash       BLOB NOT NULL
);
CREATE INDEX log_station_seq ON log(station, seq);
CREATE INDEX log_stream_seq ON log(stream, seq);

-- Last applied per-device sequence, written in the same transaction as the facts.
CREATE TABLE device_seq (
	device TEXT PRIMARY KEY,
	last   INTEGER NOT NULL
);

CREATE TABLE devices (
	id         TEXT PRIMARY KEY,
	code       TEXT NOT NULL,
	station    TEXT NOT NULL,
	role       TEXT NOT NULL,
	name       TEXT NOT NULL,
	public_key BLOB NOT NULL,
	revoked    INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	last_seen  TEXT NOT NULL DEFAULT '',
	UNIQUE (station, code)
);

-- Pairing codes are kept only as sha256 of the code.
CREATE TABLE pairing_codes (
	hash       BLOB PRIMARY KEY,
	station    TEXT NOT NULL,
	role       TEXT NOT NULL,
	name       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT NOT NULL DEFAULT '',
	device_id  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE heartbeats (
	device TEXT PRIMARY KEY,
	at     TEXT NOT NULL,
	health BLOB NOT NULL
);

-- Projection of case streams, folded in log order.
CREATE TABLE cases (
	id           TEXT PRIMARY KEY,
	station      TEXT NOT NULL,
	number       TEXT NOT NULL,
	token        TEXT NOT NULL,
	state        TEXT NOT NULL,
	category     TEXT NOT NULL,
	submitted_at TEXT NOT NULL,
	last_seq     INTEGER NOT NULL,
	data         TEXT NOT NULL
);
CREATE INDEX cases_number ON cases(number);
CREATE INDEX cases_state ON cases(state, submitted_at);

-- Projection of reference data: the latest ref.* event per (kind, key).
CREATE TABLE refdata (
	kind     TEXT NOT NULL,
	key      TEXT NOT NULL,
	station  TEXT NOT NULL,
	data     TEXT NOT NULL,
	last_seq INTEGER NOT NULL,
	PRIMARY KEY (kind, key)
);

-- Named one-shot imports (e.g. the demo data), so running one twice is a no-op.
CREATE TABLE imports (
	name   TEXT PRIMARY KEY,
	at     TEXT NOT NULL,
	events INTEGER NOT NULL
);
