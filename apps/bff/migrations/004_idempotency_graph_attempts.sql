-- Whether the request holding an Idempotency-Key reached Microsoft Graph. A failure after that (a lost answer, a
-- 5xx) releases the key for a retry, but the retry must look before it invites again: the guest may have been
-- invited, and emailed, already. Runs unchanged on PGlite and PostgreSQL.
ALTER TABLE idempotency_keys ADD COLUMN graph_attempted boolean NOT NULL DEFAULT false;
