-- Sign-ups as this station knows them: per person and activity, their latest sign-up or
-- cancellation (this kiosk's, another kiosk's, or a phone's via the hub) and the hub's latest
-- answer. The answer counts only while it answers that latest fact (answers = fact_id);
-- before, the kiosk shows the sign-up as waiting for the hub, or the cancellation as done.
CREATE TABLE signups (
	person_id   TEXT NOT NULL,
	activity_id TEXT NOT NULL,
	fact_id     TEXT NOT NULL DEFAULT '',
	fact_at     TEXT NOT NULL DEFAULT '',
	cancelled   INTEGER NOT NULL DEFAULT 0, -- the latest fact is a cancellation
	status      TEXT NOT NULL DEFAULT '',   -- the hub's answer: confirmed, waitlisted, cancelled
	position    INTEGER NOT NULL DEFAULT 0, -- place on the waitlist
	promoted    INTEGER NOT NULL DEFAULT 0,
	reason      TEXT NOT NULL DEFAULT '',
	answers     TEXT NOT NULL DEFAULT '',
	status_seq  INTEGER NOT NULL DEFAULT 0, -- hub sequence of the answer
	PRIMARY KEY (person_id, activity_id)
) WITHOUT ROWID;
CREATE INDEX signups_activity ON signups(activity_id);

-- Fill it from the events already held, as the projection would have.
INSERT INTO signups(person_id, activity_id, fact_id, fact_at, cancelled)
	SELECT json_extract(data, '$.person_id'), json_extract(data, '$.activity_id'), id, at, 0
	FROM events e WHERE kind = 'activity.signed_up' AND NOT EXISTS (
		SELECT 1 FROM events o WHERE o.kind = 'activity.signed_up'
		AND json_extract(o.data, '$.person_id') = json_extract(e.data, '$.person_id')
		AND json_extract(o.data, '$.activity_id') = json_extract(e.data, '$.activity_id')
		AND (o.at > e.at OR (o.at = e.at AND o.id > e.id)));
