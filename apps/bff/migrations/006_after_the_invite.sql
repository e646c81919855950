-- After the invite: the licences and app roles a preset grants, resolved in the invitation's tenant when it was made
-- (a licence as { skuId, disabledPlans }, an app role as { resourceId, appRoleId }), so the retrier can finish them.
-- Runs unchanged on PGlite and PostgreSQL.
ALTER TABLE invitations
  ADD COLUMN licenses  jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN app_roles jsonb NOT NULL DEFAULT '[]'::jsonb;

-- The guest's redemption is noticed by a scheduled, bounded check of invitations whose guest has not accepted
-- (guest.accepted): when each was last checked, so every instance checks the least recently checked first.
ALTER TABLE invitations ADD COLUMN acceptance_checked_at timestamptz;
CREATE INDEX invitations_pending_acceptance
  ON invitations (acceptance_checked_at NULLS FIRST, created_at) WHERE external_user_state <> 'Accepted';
