-- A bulk row whose outcome is unknown (a lost answer, a dead instance) is looked up by address before it is sent
-- again, and Graph's replicas may not show a guest it has just invited: a first lookup that finds no guest is only
-- noted, and a second one, the settle time later, is trusted. The note gets a column of its own instead of riding on
-- `reason = 'not_found'`, which a 404 answer to the lookup itself also wrote. Runs unchanged on PGlite and PostgreSQL.

-- When the row's last lookup by address found no guest; NULL otherwise (cleared by every claim).
ALTER TABLE bulk_rows ADD COLUMN not_found_at timestamptz;

-- Rows waiting between their two lookups across the upgrade keep their first miss.
UPDATE bulk_rows SET not_found_at = now()
  WHERE status = 'sending' AND reason = 'not_found';

-- bulk_rows.invited_user_id and invite_redeem_url are no longer written: an invited row's guest, link and follow-ups
-- are read from its invitation (003). They stay for the rows invited before 003, which have no invitation.
