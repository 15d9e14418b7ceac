-- Levels (city → district → street): an account belongs to an organisation node ('' is the
-- whole hub), and the desk keeps what the aggregate board and the escalated cases' queue read.
-- accepted_at and accept_by are unix nanoseconds (accept_by: the accept deadline under the
-- rules the desk was dated with); closed_unrated is 1 for a closed case the hub closed
-- unrated. The desk is refilled from the log by the first rebuild after this migration.
ALTER TABLE users ADD COLUMN node TEXT NOT NULL DEFAULT '';
ALTER TABLE desk ADD COLUMN accepted_at BIGINT;
ALTER TABLE desk ADD COLUMN accept_by BIGINT;
ALTER TABLE desk ADD COLUMN rating TEXT NOT NULL DEFAULT '';
ALTER TABLE desk ADD COLUMN closed_unrated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE desk ADD COLUMN escalated_to TEXT NOT NULL DEFAULT '';
CREATE INDEX desk_escalated ON desk(escalated_to, state) WHERE escalated_to <> '';
UPDATE meta SET value = '0' WHERE key = 'desk_built';
