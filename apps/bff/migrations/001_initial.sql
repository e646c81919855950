-- The app's own record of guests, invitations and idempotency keys.
-- Runs unchanged on PGlite and PostgreSQL; tables land in the connection's search_path (a schema per test run).

-- Guests keyed by their Entra object id, which never changes (an email address can).
CREATE TABLE app_users (
  object_id             text        PRIMARY KEY,
  email                 text        NOT NULL,
  display_name          text,
  user_type             text        NOT NULL CHECK (user_type IN ('Guest', 'Member')),
  external_user_state   text        NOT NULL CHECK (external_user_state IN ('PendingAcceptance', 'Accepted', 'Unknown')),
  invited_by_tenant_id  text        NOT NULL,
  invited_by_object_id  text        NOT NULL,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL
);

CREATE TABLE invitations (
  id                          text        PRIMARY KEY,
  invitation_id               text        NOT NULL,
  invited_user_id             text        NOT NULL REFERENCES app_users (object_id),
  invited_user_email_address  text        NOT NULL,
  invited_user_display_name   text,
  invite_redeem_url           text        NOT NULL,
  invite_redirect_url         text        NOT NULL,
  status                      text        NOT NULL CHECK (status IN ('completed', 'partial')),
  external_user_state         text        NOT NULL CHECK (external_user_state IN ('PendingAcceptance', 'Accepted', 'Unknown')),
  email_sent_by_microsoft     boolean     NOT NULL,
  email_sent_by_bff           boolean     NOT NULL,
  reinvited                   boolean     NOT NULL,
  preset_id                   text,
  invited_by_tenant_id        text        NOT NULL,
  invited_by_object_id        text        NOT NULL,
  invited_by_name             text,
  message                     text,
  attributes                  jsonb       NOT NULL DEFAULT '{}'::jsonb,
  group_ids                   text[]      NOT NULL DEFAULT '{}',
  steps                       jsonb       NOT NULL DEFAULT '[]'::jsonb,
  retry_attempts              integer     NOT NULL DEFAULT 0 CHECK (retry_attempts >= 0),
  next_retry_at               timestamptz,
  created_at                  timestamptz NOT NULL,
  updated_at                  timestamptz NOT NULL
);

-- "My invitations", newest first: keyset pagination on (created_at, id) within one inviter.
CREATE INDEX invitations_inviter_newest
  ON invitations (invited_by_tenant_id, invited_by_object_id, created_at DESC, id DESC);

-- Everyone's invitations (admins), newest first.
CREATE INDEX invitations_newest ON invitations (created_at DESC, id DESC);

-- The retrier's queue: only partial invitations with a retry time, so the index stays small.
CREATE INDEX invitations_due_follow_ups
  ON invitations (next_retry_at, id)
  WHERE status = 'partial' AND next_retry_at IS NOT NULL;

-- Guest lookups by invitation (the foreign key is not indexed by itself).
CREATE INDEX invitations_invited_user ON invitations (invited_user_id);

-- One row per Idempotency-Key and caller: the claim while the request runs, then the answer to replay.
CREATE TABLE idempotency_keys (
  caller_key       text        NOT NULL,
  key              text        NOT NULL,
  request_hash     text        NOT NULL,
  state            text        NOT NULL CHECK (state IN ('in_progress', 'completed')),
  response_status  integer,
  response_body    jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (caller_key, key),
  CHECK (state = 'in_progress' OR response_status IS NOT NULL)
);
