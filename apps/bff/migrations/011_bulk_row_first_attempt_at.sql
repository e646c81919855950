-- A bulk row that keeps failing upstream (5xx, lost answers) is given up on only after both `attempts` reached the
-- worker's limit and some time has passed since its first attempt, so that a Graph incident of a few minutes does not
-- fail a whole job's rows after ten quick retries. Runs unchanged on PGlite and PostgreSQL.

-- When the row was first sent (or looked up); NULL while it has not been. A claim that turns out not to have asked
-- Graph anything (it waited for the budget, or Graph throttled it) gives its attempt back, and its time with it.
ALTER TABLE bulk_rows ADD COLUMN first_attempt_at timestamptz;

-- Rows already attempted across the upgrade count from now.
UPDATE bulk_rows SET first_attempt_at = now()
  WHERE attempts > 0 AND status IN ('pending', 'sending');
