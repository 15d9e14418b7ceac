-- The refusal's stable code (domain.FactCode) beside its English reason, so an operator can
-- list the quarantine by cause.
ALTER TABLE refused_facts ADD COLUMN code TEXT NOT NULL DEFAULT '';
