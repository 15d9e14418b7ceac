-- Notification channels an admin configures in the console. data is the channel as JSON
-- (store.NotifyChannel without its id and secret); secret is the DingTalk signing secret or
-- the SMTP password. Times are unix nanoseconds.
CREATE TABLE notify_channels (
	id         INTEGER PRIMARY KEY,
	data       TEXT NOT NULL,
	secret     TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- The outbox: one row per notice and channel, written after the fact it tells of was
-- committed. (channel, key) is unique so a notice is enqueued once whatever restarts.
CREATE TABLE notify_outbox (
	id         INTEGER PRIMARY KEY,
	channel    INTEGER NOT NULL REFERENCES notify_channels(id) ON DELETE CASCADE,
	key        TEXT NOT NULL,
	kind       TEXT NOT NULL,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	link       TEXT NOT NULL,
	state      TEXT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    INTEGER NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	sent_at    INTEGER NOT NULL DEFAULT 0,
	UNIQUE (channel, key)
);
CREATE INDEX notify_outbox_due ON notify_outbox(state, next_at);

-- How far the notifier has read the log (new cases), so a restart neither repeats nor skips.
CREATE TABLE notify_cursor (
	name TEXT PRIMARY KEY,
	seq  INTEGER NOT NULL
);
