-- Events: the host app hears of every guest. A transactional outbox: an invitation change and the events it implies
-- are written in one transaction, then delivered at least once, in order per invitation, to each destination (a
-- Standard Webhooks endpoint, the in-process `onGuest` hook). Runs unchanged on PGlite and PostgreSQL.

-- One row per event. `id` is the Standard Webhooks `webhook-id` (receivers deduplicate on it). `seq` orders them: the
-- events of one invitation are written under its row lock, so their `seq` follows the order they happened in. No
-- foreign key to the invitation: the record of what was announced outlives it.
CREATE TABLE events (
  id             uuid        PRIMARY KEY,
  seq            bigserial   NOT NULL UNIQUE,
  type           text        NOT NULL CHECK (type IN ('invitation.created', 'invitation.completed',
                                                      'invitation.partial', 'invitation.failed', 'guest.accepted')),
  invitation_id  text        NOT NULL,
  -- The tenant the guest was invited into (the inviter's).
  tenant_id      text        NOT NULL,
  actor          jsonb       NOT NULL,
  data           jsonb       NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Ordering per invitation (is an earlier event of it still undelivered?), and the admins' log, newest first.
CREATE INDEX events_invitation ON events (invitation_id, seq);
CREATE INDEX events_tenant_newest ON events (tenant_id, seq DESC);

-- The destinations events go to, registered by the instances configured to deliver to them: each event written gets a
-- delivery row per registered destination, in the event's transaction, so no instance can miss one.
CREATE TABLE event_destinations (
  destination    text        PRIMARY KEY CHECK (destination IN ('webhook', 'hook')),
  registered_at  timestamptz NOT NULL DEFAULT now()
);

-- Where each event stands with each destination. `pending` until a 2xx (webhook) or a resolved `onGuest`
-- (`delivered`), or until it was still failing after the retry period (`expired`). A claim sets `lease_owner` and
-- `lease_until`: no other instance takes the delivery before the lease ends, and a late answer of a claim whose lease
-- was taken over changes nothing.
CREATE TABLE event_deliveries (
  event_id         uuid        NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  destination      text        NOT NULL CHECK (destination IN ('webhook', 'hook')),
  state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'expired')),
  attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz NOT NULL,
  lease_owner      uuid,
  lease_until      timestamptz,
  delivered_at     timestamptz,
  last_error       text,
  PRIMARY KEY (event_id, destination)
);

-- The workers' queue: only what is still to deliver.
CREATE INDEX event_deliveries_due ON event_deliveries (destination, next_attempt_at) WHERE state = 'pending';

-- Every attempt, for the audit trail (`GET /api/events`).
CREATE TABLE event_delivery_attempts (
  id            bigserial   PRIMARY KEY,
  event_id      uuid        NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  destination   text        NOT NULL CHECK (destination IN ('webhook', 'hook')),
  attempted_at  timestamptz NOT NULL,
  duration_ms   integer     NOT NULL CHECK (duration_ms >= 0),
  -- `interrupted`: the instance stopped during the attempt; the delivery was released for the next one.
  outcome       text        NOT NULL CHECK (outcome IN ('delivered', 'failed', 'interrupted')),
  status_code   integer,
  error         text
);

CREATE INDEX event_delivery_attempts_event ON event_delivery_attempts (event_id, id);

-- The last status event written for an invitation (`completed`, `partial`, `failed`); NULL while the request that
-- created it still runs its follow-ups. A save announces a status only when it differs, read under the row lock.
ALTER TABLE invitations
  ADD COLUMN announced_outcome text CHECK (announced_outcome IN ('completed', 'partial', 'failed'));

-- Invitations made before events existed are not announced again.
UPDATE invitations SET announced_outcome = status;
