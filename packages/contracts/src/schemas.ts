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
  /** The guest's Entra object id: the immutable key of the app user. */
  invitedUserId: Type.String(),
  invitedUserEmailAddress: Type.String(),
  invitedUserDisplayName: Type.Union([Type.String(), Type.Null()]),
  inviteRedirectUrl: Type.String(),
  /** `completed` when every step succeeded; `partial` while a follow-up step is still to be retried. */
  status: Type.Union([Type.Literal('completed'), Type.Literal('partial')]),
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

/** The answer of `POST /api/invitations` and of a resend: Graph has just answered, so its id and link are known. */
export const CreatedInvitation = Type.Object({
  ...invitationFields,
  /** Graph's invitation id. */
  invitationId: Type.String(),
  inviteRedeemUrl: Type.String(),
})
export type CreatedInvitation = Static<typeof CreatedInvitation>

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
    /** Admins only: `all` lists every inviter's invitations. */
    scope: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('all')])),
  },
  { additionalProperties: false },
)
export type InvitationListQuery = Static<typeof InvitationListQuery>

/** A group preset as offered to the component. */
export const GroupPresetSummary = Type.Object({
  id: Type.String(),
  label: Type.String(),
  groupCount: Type.Integer({ minimum: 0 }),
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
