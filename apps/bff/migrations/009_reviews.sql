-- Governance, periodic reviews (issue 13): every `review.everyDays` of its preset a guest's sponsor keeps or removes
-- the guest; with no answer by the deadline the preset's default applies. Both are queues claimed by the governance
-- work (FOR UPDATE SKIP LOCKED), as 008's are. Runs unchanged on PGlite and PostgreSQL.

ALTER TABLE invitations
  -- The latest review: when it started, its deadline, the decision (who, when, comment, defaulted), the next one.
  ADD COLUMN review             jsonb,
  -- When the next review starts; NULL while one waits for a decision, without a review policy, or once removed.
  ADD COLUMN review_at          timestamptz,
  -- review.deadlineAt while the review waits for a decision (and the guest has access): the queue of defaults.
  ADD COLUMN review_deadline_at timestamptz;

ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN (
  'invitation.approval_requested', 'invitation.approved', 'invitation.denied',
  'invitation.created', 'invitation.completed', 'invitation.partial', 'invitation.failed', 'guest.accepted',
  'invitation.expiring', 'invitation.extended', 'invitation.review_requested', 'invitation.reviewed',
  'invitation.removing', 'invitation.removed'));

CREATE INDEX invitations_reviews_due
  ON invitations (review_at) WHERE review_at IS NOT NULL;
CREATE INDEX invitations_review_deadlines
  ON invitations (review_deadline_at) WHERE review_deadline_at IS NOT NULL;
-- The requests an approver may decide (scope=approvals), per tenant, newest first.
CREATE INDEX invitations_pending_approvals
  ON invitations (invited_by_tenant_id, created_at DESC, id DESC) WHERE status = 'pending_approval';
