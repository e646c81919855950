-- One engine: a bulk row that Graph invited is an invitation like a single one (listed, resent, retried).
-- Runs unchanged on PGlite and PostgreSQL.

-- The bulk job and row a guest came from; NULL for a single invitation.
ALTER TABLE invitations
  ADD COLUMN bulk_job_id     text    REFERENCES bulk_jobs (id) ON DELETE SET NULL,
  ADD COLUMN bulk_row_number integer,
  ADD CONSTRAINT invitations_bulk_row CHECK ((bulk_job_id IS NULL) = (bulk_row_number IS NULL));

-- A bulk row whose Graph answer was lost (its instance stopped mid-batch) is found by address: the guest exists but
-- Graph's invitation id and redeem URL are unknown until the invitation is resent.
ALTER TABLE invitations
  ALTER COLUMN invitation_id DROP NOT NULL,
  ALTER COLUMN invite_redeem_url DROP NOT NULL;

-- A job's invitations, and one invitation per bulk row at most.
CREATE UNIQUE INDEX invitations_bulk_row_once
  ON invitations (bulk_job_id, bulk_row_number) WHERE bulk_job_id IS NOT NULL;
