-- Representative badges the hub signed. The payload itself is not kept: it can be signed
-- again from these columns (the signature is deterministic), and a leaked table then holds
-- nothing that opens a kiosk by itself. Revocation is a ref.badge_revoked event in the log;
-- revoked_at mirrors it here for the list.
CREATE TABLE badges (
	serial      TEXT PRIMARY KEY,
	rep_id      TEXT NOT NULL,
	rep_name    TEXT NOT NULL,
	valid_until TEXT NOT NULL,
	issued_at   TEXT NOT NULL,
	revoked_at  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX badges_rep ON badges(rep_id);
