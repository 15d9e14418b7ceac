-- The outbox table was written with every fact and never read: the sync client uploads this
-- device's facts from events by dev_seq after the hub's acknowledged sequence (meta
-- uploaded_seq), and the facts still to upload are exactly those.
DROP TABLE outbox;
