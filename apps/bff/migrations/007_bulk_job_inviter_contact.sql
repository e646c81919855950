-- The BFF's own email for a bulk row (email mode smtp) names the inviter with their address and is written in the
-- uploader's language, as a single invitation's is: both are kept with the job. NULL for jobs uploaded before.
-- Runs unchanged on PGlite and PostgreSQL.
ALTER TABLE bulk_jobs
  ADD COLUMN invited_by_username text,
  ADD COLUMN locale              text;
