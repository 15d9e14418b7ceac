-- The console: people's accounts, their sessions and API tokens, and the case desk (a
-- projection of the cases shaped for the inbox's filters, with a full-text index).

-- role: admin | staff | department | representative (| display, added later). password is an argon2id PHC string.
CREATE TABLE users (
	login      TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	role       TEXT NOT NULL,
	dept_code  TEXT NOT NULL DEFAULT '',
	rep_id     TEXT NOT NULL DEFAULT '',
	password   TEXT NOT NULL,
	disabled   INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL
);

-- A browser session, kept only as sha256 of its id; csrf is the token its unsafe requests
-- carry. Times are unix nanoseconds.
CREATE TABLE sessions (
	hash       BLOB PRIMARY KEY,
	login      TEXT NOT NULL,
	csrf       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL
);
CREATE INDEX sessions_login ON sessions(login);

-- Personal API tokens, kept only as sha256 of the token.
CREATE TABLE api_tokens (
	hash       BLOB PRIMARY KEY,
	login      TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX api_tokens_login ON api_tokens(login);

-- The desk: one row per case, written in the same transaction as the case projection.
-- Times are unix nanoseconds; deadline is NULL when nobody has to act (domain.Deadline).
CREATE TABLE desk (
	rid          INTEGER PRIMARY KEY,
	id           TEXT NOT NULL UNIQUE,
	station      TEXT NOT NULL,
	state        TEXT NOT NULL,
	category     TEXT NOT NULL,
	community    TEXT NOT NULL,
	rep_id       TEXT NOT NULL,
	dept_code    TEXT NOT NULL,
	submitted_at INTEGER NOT NULL,
	deadline     INTEGER
);
CREATE INDEX desk_state ON desk(state, deadline);
CREATE INDEX desk_dept ON desk(dept_code, state, deadline);
CREATE INDEX desk_dept_submitted ON desk(dept_code, submitted_at);
CREATE INDEX desk_submitted ON desk(submitted_at);
CREATE INDEX desk_category ON desk(category, state);
CREATE INDEX desk_community ON desk(community, state);
CREATE INDEX desk_rep ON desk(rep_id, state);
CREATE INDEX desk_station ON desk(station, state);

-- Full text: a case's number, text and reply (rowid = desk.rid), and every note recorded on
-- it. Han characters are stored one token each (see desk_fts.go), so any run of them matches
-- as a phrase.
CREATE VIRTUAL TABLE desk_fts USING fts5(body);
CREATE VIRTUAL TABLE desk_notes_fts USING fts5(body, case_rid UNINDEXED);

-- The desk is filled from the log by the first rebuild after this migration.
INSERT INTO meta(key, value) VALUES ('desk_built', '0');
