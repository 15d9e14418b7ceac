-- Representatives' requests to swap a duty day and the staff's decisions. A duty day is the
-- reference item ref.duty_roster "station:day"; approving writes its change as a reference
-- fact. Times are unix nanoseconds; decided_at is 0 while pending.
CREATE TABLE duty_swaps (
	id          INTEGER PRIMARY KEY,
	rep_id      TEXT NOT NULL,
	rep_name    TEXT NOT NULL,
	station     TEXT NOT NULL,
	day         TEXT NOT NULL,
	colleague   TEXT NOT NULL DEFAULT '',
	reason      TEXT NOT NULL DEFAULT '',
	state       TEXT NOT NULL,
	replacement TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	decided_at  INTEGER NOT NULL DEFAULT 0,
	decided_by  TEXT NOT NULL DEFAULT ''
);
-- One pending request per representative and day.
CREATE UNIQUE INDEX duty_swaps_pending ON duty_swaps(rep_id, station, day) WHERE state = 'pending';
CREATE INDEX duty_swaps_state ON duty_swaps(state, created_at);
