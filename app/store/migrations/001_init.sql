-- The station's event store. events is the source of truth; every other table except meta
-- and outbox is a projection that RebuildProjections can recreate from events.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE events (
	id         TEXT PRIMARY KEY,
	device     TEXT NOT NULL,
	dev_seq    INTEGER NOT NULL,
	station    TEXT NOT NULL,
	stream     TEXT NOT NULL,
	kind       TEXT NOT NULL,
	at         TEXT NOT NULL,            -- UTC, fixed-width RFC 3339 with nanoseconds
	actor_role TEXT NOT NULL,
	actor_id   TEXT NOT NULL,
	actor_name TEXT NOT NULL,
	data       BLOB NOT NULL,            -- JSON payload
	hub_seq    INTEGER,                  -- NULL until the hub has sequenced it
	own        INTEGER NOT NULL          -- 1: a fact of this device
);
-- own facts are numbered gaplessly; other devices' sequences are not ours to check
CREATE UNIQUE INDEX events_own_seq ON events(dev_seq) WHERE own = 1;
CREATE INDEX events_stream ON events(stream, hub_seq, dev_seq);
CREATE INDEX events_hub_seq ON events(hub_seq) WHERE hub_seq IS NOT NULL;

-- own facts not yet acknowledged by the hub
CREATE TABLE outbox (
	dev_seq  INTEGER PRIMARY KEY,
	event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE
);

CREATE TABLE cases (
	id           TEXT PRIMARY KEY,
	number       TEXT NOT NULL,
	token        TEXT NOT NULL,
	station      TEXT NOT NULL,
	state        TEXT NOT NULL,
	resident_id  TEXT NOT NULL,
	rep_id       TEXT NOT NULL,
	dept_code    TEXT NOT NULL,
	submitted_at TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	data         BLOB NOT NULL           -- domain.Case as JSON
);
CREATE INDEX cases_number ON cases(number);
CREATE INDEX cases_resident ON cases(resident_id, submitted_at) WHERE resident_id <> '';
CREATE INDEX cases_station_state ON cases(station, state, submitted_at);

CREATE TABLE residents (
	id            TEXT PRIMARY KEY,
	id_hash       TEXT NOT NULL,
	station       TEXT NOT NULL,
	registered_at TEXT NOT NULL,
	consented_at  TEXT NOT NULL,
	data          BLOB NOT NULL          -- domain.ResidentRegistered as JSON
);
CREATE INDEX residents_hash ON residents(id_hash) WHERE id_hash <> '';

-- reference data pushed by the hub: one row per ref.* stream, latest payload wins
CREATE TABLE ref (
	kind    TEXT NOT NULL,
	id      TEXT NOT NULL,
	station TEXT NOT NULL,
	at      TEXT NOT NULL,
	data    BLOB NOT NULL,
	PRIMARY KEY (kind, id)
) WITHOUT ROWID;

CREATE TABLE duty_signs (
	event_id TEXT PRIMARY KEY,
	station  TEXT NOT NULL,
	rep_id   TEXT NOT NULL,
	day      TEXT NOT NULL,              -- YYYY-MM-DD, station local time
	signed_in INTEGER NOT NULL,          -- 1 sign-in, 0 sign-out
	at       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX duty_signs_day ON duty_signs(day, rep_id, at);

CREATE TABLE activity_marks (
	activity_id TEXT NOT NULL,
	person_id   TEXT NOT NULL,
	checked_in  INTEGER NOT NULL,        -- 0 signed up, 1 checked in
	event_id    TEXT NOT NULL,
	at          TEXT NOT NULL,
	PRIMARY KEY (activity_id, checked_in, person_id)
) WITHOUT ROWID;
