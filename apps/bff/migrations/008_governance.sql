-- Governance (issue 13): approvals before Graph is called, access that expires, and clean removal. Every piece of
-- scheduled work is a claim on these rows (FOR UPDATE SKIP LOCKED) that changes them in the claim's transaction, with
-- the events it implies, so it survives restarts and runs once across instances. Runs unchanged on PGlite and
-- PostgreSQL.

-- A request waiting for approval has no guest yet (nothing was sent to Graph); the guest is recorded on approval.
ALTER TABLE invitations ALTER COLUMN invited_user_id DROP NOT NULL;

ALTER TABLE invitations DROP CONSTRAINT invitations_status_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_status_check
  CHECK (status IN ('pending_approval', 'denied', 'completed', 'partial', 'removing', 'removed'));
ALTER TABLE invitations
  ADD CONSTRAINT invitations_guest_once_invited
  CHECK (invited_user_id IS NOT NULL OR status IN ('pending_approval', 'denied'));

ALTER TABLE invitations
  -- The request as asked (body, language, the requester's address and roles), kept until an approver decides.
  ADD COLUMN request              jsonb,
  -- The approval policy's approvers, the reason, the deadline and the decision (who, when, comment).
  ADD COLUMN approval             jsonb,
  -- approval.expiresAt while pending_approval: the queue of requests denied when nobody decided in time.
  ADD COLUMN approval_expires_at  timestamptz,
  -- An approver's approval is inviting the guest until then; other decisions wait (a dead instance's claim lapses).
  ADD COLUMN decision_lease_until timestamptz,
  -- The access term (expiry, days, the one extension).
  ADD COLUMN access               jsonb,
  -- access.expiresAt: the queue of expiries.
  ADD COLUMN access_expires_at    timestamptz,
  -- When the sponsor is reminded; NULL once reminded (the reminder's claim) or without an expiry.
  ADD COLUMN remind_at            timestamptz,
  -- The removal of access (why, by whom, each step). While status is 'removing', next_retry_at is its retry time.
  ADD COLUMN removal              jsonb;

-- The events of approvals, expiry and removal.
ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN (
  'invitation.approval_requested', 'invitation.approved', 'invitation.denied',
  'invitation.created', 'invitation.completed', 'invitation.partial', 'invitation.failed', 'guest.accepted',
  'invitation.expiring', 'invitation.extended', 'invitation.removing', 'invitation.removed'));

ALTER TABLE invitations DROP CONSTRAINT invitations_announced_outcome_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_announced_outcome_check
  CHECK (announced_outcome IN ('completed', 'partial', 'failed', 'removing', 'removed'));

-- The scheduled work's queues, each holding only the rows it may claim.
CREATE INDEX invitations_approval_deadline
  ON invitations (approval_expires_at) WHERE status = 'pending_approval';
CREATE INDEX invitations_reminders
  ON invitations (remind_at) WHERE remind_at IS NOT NULL;
CREATE INDEX invitations_expiries
  ON invitations (access_expires_at) WHERE status IN ('completed', 'partial') AND access_expires_at IS NOT NULL;
CREATE INDEX invitations_due_removals
  ON invitations (next_retry_at, id) WHERE status = 'removing';
