-- Device facts the hub refused as invalid (they can never apply). The device's sequence moves
-- past them in the same transaction, so later facts still flow; the fact is kept here whole
-- for the technician and the console.
CREATE TABLE refused_facts (
	device     TEXT NOT NULL,
	dev_seq    INTEGER NOT NULL,
	id         TEXT NOT NULL,
	kind       TEXT NOT NULL,
	station    TEXT NOT NULL,
	reason     TEXT NOT NULL,
	refused_at TEXT NOT NULL,
	fact       TEXT NOT NULL,
	PRIMARY KEY (device, dev_seq)
);
