import { type Static, Type } from '@sinclair/typebox'
import { constraints } from './constraints.js'
import { problemCodes } from './problems.js'

/** `POST /api/invitations` body. */
export const CreateInvitationRequest = Type.Object(
  {
    email: Type.String({
      minLength: 3,
      maxLength: constraints.emailMaxLength,
      pattern: constraints.emailPattern,
      description: 'The external user’s email address.',
    }),
    displayName: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: constraints.displayNameMaxLength,
        description: 'Shown in the directory.',
      }),
    ),
    redirectUrl: Type.Optional(
      Type.String({
        maxLength: constraints.redirectUrlMaxLength,
        description:
          'Where the guest lands after redeeming; must be on the allowlist. Default: the configured one.',
      }),
    ),
    presetId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: constraints.presetIdMaxLength,
        description: 'A group preset id.',
      }),
    ),
    message: Type.Optional(
      Type.String({
        maxLength: constraints.messageMaxLength,
        description: 'A personal message for the invitation email (control characters are removed).',
      }),
    ),
    sendEmail: Type.Optional(
      Type.Boolean({ description: 'Whether the guest is emailed the invitation. Default: true.' }),
    ),
    locale: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$',
        maxLength: 35,
        description:
          "The guest's language for the app's own invitation email (BCP 47, e.g. `de` or `fr-CA`; email mode `smtp`). Default: the request's Accept-Language, else English.",
      }),
    ),
    sponsorIds: Type.Optional(
      Type.Array(
        Type.String({
          pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
        }),
        {
          minItems: 1,
          maxItems: 5,
          uniqueItems: true,
          description:
            "Object ids of the guest's sponsors (users or groups of the inviter's organization; Graph takes up to 5). Default: the signed-in inviter.",
        },
      ),
    ),
    reason: Type.Optional(
      Type.String({
        maxLength: constraints.reasonMaxLength,
        description:
          'Why the guest needs access, for the approvers of a preset with an approval policy (required when the policy says `reasonRequired`; control characters are removed). Ignored when the preset needs no approval.',
      }),
    ),
    accessDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: constraints.accessDaysMax,
        description:
          "Days of access, at most the preset's `accessDays` (access is then removed as at expiry). Default: the preset's `accessDays`. Only with a preset that sets `accessDays`.",
      }),
    ),
    attributes: Type.Optional(
      Type.Object(
        {
          givenName: Type.Optional(Type.String({ minLength: 1, maxLength: constraints.givenNameMaxLength })),
          surname: Type.Optional(Type.String({ minLength: 1, maxLength: constraints.surnameMaxLength })),
          usageLocation: Type.Optional(Type.String({ pattern: constraints.usageLocationPattern })),
        },
        {
          additionalProperties: false,
          description: 'Directory attributes set on the guest after the invite.',
        },
      ),
    ),
  },
  { additionalProperties: false },
)
export type CreateInvitationRequest = Static<typeof CreateInvitationRequest>

/** A saga step of an invitation. */
export const InvitationStep = Type.Object({
  name: Type.Union([
    Type.Literal('invite'),
    Type.Literal('updateAttributes'),
    Type.Literal('addToGroup'),
    Type.Literal('assignLicense'),
    Type.Literal('assignAppRole'),
  ]),
  /** The group id for `addToGroup`, the SKU id for `assignLicense`, the app role id for `assignAppRole`. */
  target: Type.Optional(Type.String()),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('pending')]),
  attempts: Type.Integer({ minimum: 0 }),
  /** Why the last attempt failed, for `failed` and `pending` steps. */
  code: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
})
export type InvitationStep = Static<typeof InvitationStep>

/** A step that removes access (at expiry, or `DELETE /api/invitations/{id}`), run and retried like a follow-up step. */
export const RemovalStep = Type.Object({
  /**
   * `removeFromGroup` (target: the group id), `removeAppRole` (target: the app role id), `removeLicense` (target: the
   * SKU id), `blockSignIn` (`accountEnabled: false`), `deleteUser` (into the directory's deleted items).
   */
  name: Type.Union([
    Type.Literal('removeFromGroup'),
    Type.Literal('removeAppRole'),
    Type.Literal('removeLicense'),
    Type.Literal('blockSignIn'),
    Type.Literal('deleteUser'),
  ]),
  target: Type.Optional(Type.String()),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('pending')]),
  attempts: Type.Integer({ minimum: 0 }),
  /** Why the last attempt failed (`removal_forbidden`, `graph_throttled`…), or why a step was not needed. */
  code: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
})
export type RemovalStep = Static<typeof RemovalStep>

/** A person who acted on an invitation: its inviter, an approver, a sponsor or an administrator. */
export const PersonRef = Type.Object({
  tenantId: Type.String(),
  objectId: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
})
export type PersonRef = Static<typeof PersonRef>

/**
 * Every status of an invitation: `pending_approval` (its preset asks for an approval: nothing was sent to Graph),
 * `denied` (an approver refused, or nobody decided in time), `completed` / `partial` (invited; `partial` while a
 * follow-up step is retried), `removing` (access is being removed: a removal step is retried), `removed`.
 */
export const InvitationStatus = Type.Union([
  Type.Literal('pending_approval'),
  Type.Literal('denied'),
  Type.Literal('completed'),
  Type.Literal('partial'),
  Type.Literal('removing'),
  Type.Literal('removed'),
])
export type InvitationStatus = Static<typeof InvitationStatus>

/** The approval an invitation waited for (its preset's policy), and the decision. */
export const InvitationApproval = Type.Object({
  /** Who may decide: app role values (in the approver's token) and group object ids (members, nested groups too). */
  approvers: Type.Array(Type.String()),
  /**
   * Who decides, in words the requester knows (the preset's `approval.approversLabel`, e.g. "Project Apollo owners");
   * `null` (or absent): none was configured, show `approvers`.
   */
  approversLabel: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  reason: Type.Union([Type.String(), Type.Null()]),
  requestedAt: Type.String({ format: 'date-time' }),
  /** When the request is denied automatically if nobody decided. */
  expiresAt: Type.String({ format: 'date-time' }),
  /** `null` while waiting; `expired`: nobody decided by `expiresAt`. */
  decision: Type.Union([
    Type.Literal('approved'),
    Type.Literal('denied'),
    Type.Literal('expired'),
    Type.Null(),
  ]),
  /** The approver; `null` while waiting and for an expired request. */
  decidedBy: Type.Union([PersonRef, Type.Null()]),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  comment: Type.Union([Type.String(), Type.Null()]),
})
export type InvitationApproval = Static<typeof InvitationApproval>

/** How long the guest keeps what the preset granted. */
export const InvitationAccess = Type.Object({
  /** When access is removed (groups and app roles, and the preset's `onExpiry`). */
  expiresAt: Type.String({ format: 'date-time' }),
  /** The days granted (the request's or the preset's `accessDays`). */
  days: Type.Integer({ minimum: 1 }),
  /** The one extension the sponsor may make; `null` until made. */
  extendedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  extendedBy: Type.Union([PersonRef, Type.Null()]),
})
export type InvitationAccess = Static<typeof InvitationAccess>

/** The removal of a guest's access: why, by whom, and each step. */
export const InvitationRemoval = Type.Object({
  /**
   * `expired`: the access term ended; `revoked`: `DELETE /api/invitations/{id}`; `reviewed`: a periodic review
   * decided (or defaulted to) removal.
   */
  reason: Type.Union([Type.Literal('expired'), Type.Literal('revoked'), Type.Literal('reviewed')]),
  requestedAt: Type.String({ format: 'date-time' }),
  /** The sponsor or administrator who revoked; `null` for an expiry (the BFF). */
  requestedBy: Type.Union([PersonRef, Type.Null()]),
  /** When every step had succeeded; `null` while one is retried. */
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  steps: Type.Array(RemovalStep),
})
export type InvitationRemoval = Static<typeof InvitationRemoval>

/**
 * The latest periodic review of a guest's access (a preset with `review`): the sponsor keeps or removes the guest by
 * `deadlineAt`; with no answer by then the preset's default applies (`defaulted: true`).
 */
export const InvitationReview = Type.Object({
  /** When this review asked the sponsor. */
  startedAt: Type.String({ format: 'date-time' }),
  /** When the preset's default (keep or remove) applies if the sponsor has not decided. */
  deadlineAt: Type.String({ format: 'date-time' }),
  /** `null` while waiting for the sponsor. */
  decision: Type.Union([Type.Literal('keep'), Type.Literal('remove'), Type.Null()]),
  /** `true` when nobody decided by `deadlineAt` and the preset's default was applied. */
  defaulted: Type.Boolean(),
  /** The sponsor or administrator who decided; `null` while waiting and for a default. */
  decidedBy: Type.Union([PersonRef, Type.Null()]),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  comment: Type.Union([Type.String(), Type.Null()]),
  /** When the next review starts (after a keep); `null` once the guest was removed. */
  nextReviewAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})
export type InvitationReview = Static<typeof InvitationReview>

/** Guest states as Graph reports them, plus `Unknown` before the first read. */
export const ExternalUserState = Type.Union([
  Type.Literal('PendingAcceptance'),
  Type.Literal('Accepted'),
  Type.Literal('Unknown'),
])

/** The fields of an invitation whose types do not depend on how it was recorded. */
const invitationFields = {
  /** The BFF's id of this invitation record. */
  id: Type.String(),
  /**
   * The guest's Entra object id: the immutable key of the app user. Empty (`''`) while no guest exists: a request
   * `pending_approval`, or `denied`.
   */
  invitedUserId: Type.String(),
  invitedUserEmailAddress: Type.String(),
  invitedUserDisplayName: Type.Union([Type.String(), Type.Null()]),
  inviteRedirectUrl: Type.String(),
  /** See {@link InvitationStatus}. */
  status: InvitationStatus,
  externalUserState: ExternalUserState,
  /** Whether Microsoft emailed the invitation to the guest. */
  emailSentByMicrosoft: Type.Boolean(),
  /** Whether the BFF sent its own email (email mode `smtp`). */
  emailSentByBff: Type.Boolean(),
  /** `true` when the address already belonged to a guest, who was invited again (same object id). */
  reinvited: Type.Boolean(),
  presetId: Type.Union([Type.String(), Type.Null()]),
  /** The bulk job whose file held this guest's row; `null` for a single invitation. */
  bulkJobId: Type.Union([Type.String(), Type.Null()]),
  invitedBy: Type.Object({
    tenantId: Type.String(),
    objectId: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
  }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  steps: Type.Array(InvitationStep),
  /** The approval its preset asked for; `null` (or absent) when none was needed. */
  approval: Type.Optional(Type.Union([InvitationApproval, Type.Null()])),
  /** The access term; `null` (or absent) when access does not expire or was never granted. */
  access: Type.Optional(Type.Union([InvitationAccess, Type.Null()])),
  /** The removal of access, once started; `null` (or absent) before. */
  removal: Type.Optional(Type.Union([InvitationRemoval, Type.Null()])),
  /** The latest periodic review; `null` (or absent) before the first one or when the preset has no review. */
  review: Type.Optional(Type.Union([InvitationReview, Type.Null()])),
}

/**
 * One invitation as the BFF reports it. `invitationId` and `inviteRedeemUrl` are `null` only for a bulk row whose
 * Graph answer was lost (its instance stopped mid-batch): the guest was found by address, so it was not invited
 * twice; resend it to get a link.
 */
export const Invitation = Type.Object({
  ...invitationFields,
  /** Graph's invitation id. */
  invitationId: Type.Union([Type.String(), Type.Null()]),
  inviteRedeemUrl: Type.Union([Type.String(), Type.Null()]),
})
export type Invitation = Static<typeof Invitation>

/**
 * The answer of `POST /api/invitations` (201), of a resend and of an approval: Graph has just answered, so its id and
 * link are known.
 */
export const CreatedInvitation = Type.Object({
  ...invitationFields,
  /** `completed` when every step succeeded; `partial` while a follow-up step is still to be retried. */
  status: Type.Union([Type.Literal('completed'), Type.Literal('partial')]),
  /** Graph's invitation id. */
  invitationId: Type.String(),
  inviteRedeemUrl: Type.String(),
})
export type CreatedInvitation = Static<typeof CreatedInvitation>

/**
 * The answer of `POST /api/invitations` (202) for a preset with an approval policy: recorded, nothing sent to Graph
 * until an approver approves it; no guest, invitation id or link yet.
 */
export const PendingInvitation = Type.Object({
  ...invitationFields,
  status: Type.Literal('pending_approval'),
  invitationId: Type.Null(),
  inviteRedeemUrl: Type.Null(),
})
export type PendingInvitation = Static<typeof PendingInvitation>

/** `GET /api/invitations` answer. */
export const InvitationPage = Type.Object({
  items: Type.Array(Invitation),
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor: Type.Optional(Type.String()),
})
export type InvitationPage = Static<typeof InvitationPage>

/** `GET /api/invitations` query. */
export const InvitationListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: constraints.pageSizeMax })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    /**
     * `mine` (default): the caller's invitations. `all` (admins only): every inviter's. `approvals`: the requests
     * waiting for approval that the caller may decide (an approver of theirs, never their own). `reviews`: the
     * caller's guests (admins: any guest) whose periodic review waits for a decision.
     */
    scope: Type.Optional(
      Type.Union([
        Type.Literal('mine'),
        Type.Literal('all'),
        Type.Literal('approvals'),
        Type.Literal('reviews'),
      ]),
    ),
  },
  { additionalProperties: false },
)
export type InvitationListQuery = Static<typeof InvitationListQuery>

/** `POST /api/invitations/{id}/approve` and `…/deny` body. */
export const ApprovalDecisionRequest = Type.Object(
  {
    comment: Type.Optional(
      Type.String({
        maxLength: constraints.reasonMaxLength,
        description: "The approver's comment, kept with the decision (control characters are removed).",
      }),
    ),
  },
  { additionalProperties: false },
)
export type ApprovalDecisionRequest = Static<typeof ApprovalDecisionRequest>

/** `POST /api/invitations/{id}/review` body: the sponsor's (or an administrator's) answer to a periodic review. */
export const ReviewDecisionRequest = Type.Object(
  {
    decision: Type.Union([Type.Literal('keep'), Type.Literal('remove')]),
    comment: Type.Optional(
      Type.String({
        maxLength: constraints.reasonMaxLength,
        description: 'Why, kept with the decision (control characters are removed).',
      }),
    ),
  },
  { additionalProperties: false },
)
export type ReviewDecisionRequest = Static<typeof ReviewDecisionRequest>

/** `POST /api/invitations/{id}/extend` body. */
export const ExtendAccessRequest = Type.Object(
  {
    days: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: constraints.accessDaysMax,
        description: "Days added to the current expiry, at most the preset's `accessDays` (the default).",
      }),
    ),
  },
  { additionalProperties: false },
)
export type ExtendAccessRequest = Static<typeof ExtendAccessRequest>

/** A group preset as offered to the component. */
export const GroupPresetSummary = Type.Object({
  id: Type.String(),
  label: Type.String(),
  groupCount: Type.Integer({ minimum: 0 }),
  /** An approver must approve each invitation with this preset (it is answered `202`, `pending_approval`). */
  approvalRequired: Type.Optional(Type.Boolean()),
  /** The request must carry a `reason` for the approvers. */
  reasonRequired: Type.Optional(Type.Boolean()),
  /** Who approves, in words the requester knows (e.g. "Project Apollo owners"), when the preset names them. */
  approversLabel: Type.Optional(Type.String()),
  /** Days of access granted (and the most a request may ask for); absent: access does not expire. */
  accessDays: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Days between periodic reviews of each guest's access by their sponsor; absent: no reviews. */
  reviewEveryDays: Type.Optional(Type.Integer({ minimum: 1 })),
})
export type GroupPresetSummary = Static<typeof GroupPresetSummary>

/** `GET /api/config`: what the component needs to render and pre-validate. */
export const ClientConfig = Type.Object({
  presets: Type.Array(GroupPresetSummary),
  defaultPresetId: Type.Union([Type.String(), Type.Null()]),
  domains: Type.Object({ allowed: Type.Array(Type.String()), blocked: Type.Array(Type.String()) }),
  defaultRedirectUrl: Type.String(),
  allowedRedirectOrigins: Type.Array(Type.String()),
  emailMode: Type.Union([Type.Literal('microsoft'), Type.Literal('smtp'), Type.Literal('none')]),
  limits: Type.Object({
    emailMaxLength: Type.Integer(),
    displayNameMaxLength: Type.Integer(),
    messageMaxLength: Type.Integer(),
    invitesPerMinutePerUser: Type.Integer(),
    messageLinks: Type.Union([Type.Literal('none'), Type.Literal('allowlist'), Type.Literal('any')], {
      description:
        'Links in the personal message: `none` (a message with a link, bare domains included, is refused with ' +
        '`message_links_not_allowed`), `allowlist` (only links to `allowedRedirectOrigins`), `any`.',
    }),
  }),
})
export type ClientConfig = Static<typeof ClientConfig>

/** The problem+json body, as a schema (for OpenAPI). */
export const ProblemDocument = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.Union(problemCodes.map((code) => Type.Literal(code))),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  requestId: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  retryAfterSeconds: Type.Optional(Type.Integer()),
  claims: Type.Optional(Type.String()),
  adminConsentUrl: Type.Optional(Type.String()),
  existingUserId: Type.Optional(Type.String()),
  quotaPerHour: Type.Optional(Type.Integer()),
  allowedNow: Type.Optional(Type.Integer()),
})
