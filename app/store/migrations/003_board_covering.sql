-- The board counts "deadline still ahead" and "still awaiting acceptance" over an index range
-- and filters by station. With the station in the index the count never visits the table,
-- which at a million cases is the difference between a few and a hundred milliseconds.
DROP INDEX board_cases_accept_by;
DROP INDEX board_cases_deadline;
CREATE INDEX board_cases_accept_by ON board_cases(accept_by, station) WHERE accept_by IS NOT NULL;
CREATE INDEX board_cases_deadline ON board_cases(deadline, station) WHERE deadline IS NOT NULL;
