-- Bulk invitations from the portal's CSV template: one job per upload, one row per data row of the file.
-- Runs unchanged on PGlite and PostgreSQL.

CREATE TABLE bulk_jobs (
  id                    text        PRIMARY KEY,
  invited_by_tenant_id  text        NOT NULL,
  invited_by_object_id  text        NOT NULL,
  invited_by_name       text,
  mode                  text        NOT NULL CHECK (mode IN ('delegated', 'app')),
  -- `uploading` while the file is still being read: the worker never touches it, and a failed upload deletes it.
  status                text        NOT NULL CHECK (status IN ('uploading', 'running', 'paused_reauth', 'completed', 'cancelled')),
  total_rows            integer     NOT NULL DEFAULT 0,
  rejected_rows         integer     NOT NULL DEFAULT 0,
  example_row_skipped   boolean     NOT NULL DEFAULT false,
  -- The input columns found in the header row, in file order (the results CSV repeats them).
  columns               jsonb       NOT NULL DEFAULT '[]'::jsonb,
  -- Delegated mode: the instance that holds the inviter's latest token in memory, and when it last showed it had
  -- one. The token itself is never stored.
  token_holder          text,
  token_seen_at         timestamptz,
  last_claimed_at       timestamptz,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  finished_at           timestamptz
);

CREATE INDEX bulk_jobs_active ON bulk_jobs (last_claimed_at) WHERE status = 'running';

CREATE TABLE bulk_rows (
  job_id             text        NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
  row_number         integer     NOT NULL,
  email              text,
  -- Every cell of the row as read, keyed by header (for the results CSV).
  input              jsonb       NOT NULL,
  -- What the worker sends: the validated invitation and the preset's follow-ups.
  plan               jsonb,
  status             text        NOT NULL CHECK (status IN ('pending', 'sending', 'invited', 'failed', 'cancelled')),
  reason             text,
  detail             text,
  invited_user_id    text,
  invite_redeem_url  text,
  attempts           integer     NOT NULL DEFAULT 0,
  not_before         timestamptz,
  -- While `sending`: after this, the row is presumed orphaned by a dead instance and is reconciled.
  lease_until        timestamptz,
  done_at            timestamptz,
  PRIMARY KEY (job_id, row_number)
);

-- The worker's queue: only rows still to do.
CREATE INDEX bulk_rows_due ON bulk_rows (job_id, not_before) WHERE status IN ('pending', 'sending');

-- Counts by status and the recent rate.
CREATE INDEX bulk_rows_job_status ON bulk_rows (job_id, status);
CREATE INDEX bulk_rows_done ON bulk_rows (job_id, done_at) WHERE done_at IS NOT NULL;
