-- The representatives' record (履职档案): the scoring rules an admin edits, every saved version
-- kept with who saved it and when (the latest is in force; none means the shipped defaults).
-- Scores are not stored: they are computed from the log with the rules in force.
CREATE TABLE record_rules (
	version  INTEGER PRIMARY KEY,
	rules    TEXT NOT NULL,
	login    TEXT NOT NULL,
	name     TEXT NOT NULL,
	saved_at TEXT NOT NULL
);

-- Acts of a period are found by kind and time.
CREATE INDEX log_kind_at ON log(kind, at);
