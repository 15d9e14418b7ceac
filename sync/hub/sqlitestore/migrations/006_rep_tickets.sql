-- The nonces of the representatives' login tickets that opened a session (a ticket logs in
-- once). A row is kept until well after its ticket expired, when the ticket is refused
-- anyway. expires_at and used_at are unix nanoseconds.
CREATE TABLE rep_ticket_nonces (
	nonce      TEXT PRIMARY KEY,
	device     TEXT NOT NULL,
	rep_id     TEXT NOT NULL,
	login      TEXT NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER NOT NULL
);
CREATE INDEX rep_ticket_nonces_expires ON rep_ticket_nonces(expires_at);
