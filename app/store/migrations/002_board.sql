-- The wall's board aggregates. A trigger marks every case whose projection row changes as
-- dirty, in the transaction that changed it; Store.BoardFigures folds the dirty cases into the
-- aggregates (in Go, with the domain's own rules) before it reads them. Nothing here is the
-- truth: RebuildProjections and a change of the lifecycle rules refill it from cases.

-- cases changed since the aggregates last took them in
CREATE TABLE board_dirty (id TEXT PRIMARY KEY) WITHOUT ROWID;

-- what each case contributes: its counter keys, and the instants the board compares with
-- "now" (fixed-width UTC text, NULL when the case has none)
CREATE TABLE board_cases (
	id         TEXT PRIMARY KEY,
	station    TEXT NOT NULL,
	keys       TEXT NOT NULL,          -- counter keys, newline separated
	accept_by  TEXT,                   -- accept deadline while unaccepted and not ended
	deadline   TEXT,                   -- domain.Deadline while it can make the case overdue
	tick_case  TEXT,                   -- submitted_at, for the ticker (NULL: not shown)
	tick_reply TEXT                    -- replied_at, for the ticker (NULL: not shown)
) WITHOUT ROWID;
CREATE INDEX board_cases_accept_by ON board_cases(accept_by) WHERE accept_by IS NOT NULL;
CREATE INDEX board_cases_deadline ON board_cases(deadline) WHERE deadline IS NOT NULL;
CREATE INDEX board_cases_tick_case ON board_cases(station, tick_case) WHERE tick_case IS NOT NULL;
CREATE INDEX board_cases_tick_reply ON board_cases(station, tick_reply) WHERE tick_reply IS NOT NULL;

-- sums of the keys per station
CREATE TABLE board_counts (
	station TEXT NOT NULL,
	key     TEXT NOT NULL,
	n       INTEGER NOT NULL,
	PRIMARY KEY (station, key)
) WITHOUT ROWID;

-- hot words: in how many cases of a station and local day a word occurs
CREATE TABLE board_words (
	station TEXT NOT NULL,
	day     TEXT NOT NULL,
	word    TEXT NOT NULL,
	n       INTEGER NOT NULL,
	PRIMARY KEY (station, day, word)
) WITHOUT ROWID;

-- the words each recent case contributed, so a removed case can be taken out again
CREATE TABLE board_word_cases (
	id      TEXT PRIMARY KEY,
	station TEXT NOT NULL,
	day     TEXT NOT NULL,
	words   TEXT NOT NULL              -- newline separated
) WITHOUT ROWID;

-- cases whose submission (station, time, text) is not yet segmented
CREATE TABLE board_words_dirty (id TEXT PRIMARY KEY) WITHOUT ROWID;

-- (NOT EXISTS rather than OR IGNORE: an outer statement's conflict policy would override the
-- trigger's, and the projection's upsert has one)
CREATE TRIGGER board_cases_ins AFTER INSERT ON cases BEGIN
	INSERT INTO board_dirty(id) SELECT new.id WHERE NOT EXISTS (SELECT 1 FROM board_dirty WHERE id = new.id);
	INSERT INTO board_words_dirty(id) SELECT new.id WHERE NOT EXISTS (SELECT 1 FROM board_words_dirty WHERE id = new.id);
END;
CREATE TRIGGER board_cases_upd AFTER UPDATE ON cases BEGIN
	INSERT INTO board_dirty(id) SELECT new.id WHERE NOT EXISTS (SELECT 1 FROM board_dirty WHERE id = new.id);
	INSERT INTO board_dirty(id) SELECT old.id WHERE NOT EXISTS (SELECT 1 FROM board_dirty WHERE id = old.id);
END;
-- a case's text never changes after submission; its station and submission time only do
-- when the projection is rebuilt differently
CREATE TRIGGER board_cases_upd_words AFTER UPDATE ON cases
WHEN new.id IS NOT old.id OR new.station IS NOT old.station OR new.submitted_at IS NOT old.submitted_at
BEGIN
	INSERT INTO board_words_dirty(id) SELECT new.id WHERE NOT EXISTS (SELECT 1 FROM board_words_dirty WHERE id = new.id);
	INSERT INTO board_words_dirty(id) SELECT old.id WHERE NOT EXISTS (SELECT 1 FROM board_words_dirty WHERE id = old.id);
END;
CREATE TRIGGER board_cases_del AFTER DELETE ON cases BEGIN
	INSERT INTO board_dirty(id) SELECT old.id WHERE NOT EXISTS (SELECT 1 FROM board_dirty WHERE id = old.id);
	INSERT INTO board_words_dirty(id) SELECT old.id WHERE NOT EXISTS (SELECT 1 FROM board_words_dirty WHERE id = old.id);
END;

-- cases that existed before this migration
INSERT INTO board_dirty(id) SELECT id FROM cases;
INSERT INTO board_words_dirty(id) SELECT id FROM cases;
