import {
  type ApprovalDecisionRequest,
  type CreateInvitationRequest,
  constraints,
  type ExtendAccessRequest,
  type InvitationApproval,
  type ReviewDecisionRequest,
} from '@entra-share/contracts'
import { LRUCache } from 'lru-cache'
import type { BffConfig } from '../config.js'
import { sendInvitationEmail } from '../email/send-invitation-email.js'
import type { InvitationMailer } from '../email/types.js'
import type { GraphApi, GraphInvitationRequest } from '../graph/graph-api.js'
import type { Caller, GraphTokenProvider } from '../identity/caller.js'
import { ProblemError } from '../platform/problem-error.js'
import { type AccessRemoval, createAccessRemoval } from './access-removal.js'
import { runFollowUpSteps, type StepTokens } from './follow-up-runner.js'
import { type GovernanceNotices, noGovernanceNotices } from './governance-notices.js'
import {
  accessTermFor,
  approverByToken,
  approverGroups,
  DEFAULT_APPROVAL_EXPIRES_AFTER_DAYS,
  daysAfter,
  decideReview,
  extendAccess,
  givesAccess,
  notAnApprover,
  personOf,
  presetOf,
} from './governance-policy.js'
import type { InvitationQuota } from './invitation-quota.js'
import {
  DEFAULT_REPLICATION_RETRY_DELAYS_MS,
  DEFAULT_RETRY_BACKOFF,
  newInvitationRecord,
  pendingRequestRecord,
  settleInvitation,
  toExternalUserState,
} from './invitation-record.js'
import { type ApprovalMode, type InvitationPlan, planInvitation, sanitiseMessage } from './preflight.js'
import { createPresetGrantResolver, type PresetGrantResolver } from './preset-grants.js'
import type { AppUserStore, InvitationRecord, InvitationStore } from './types.js'

/** The configuration the invite service reads. */
export type InviteServiceConfig = Pick<
  BffConfig,
  | 'redirectOrigins'
  | 'defaultRedirectUrl'
  | 'allowedDomains'
  | 'blockedDomains'
  | 'presets'
  | 'messageLinks'
  | 'emailMode'
  | 'userStateCacheSeconds'
  | 'followUpIdentities'
>

/** A pino-compatible logger (Fastify's `app.log` fits). */
export interface InviteServiceLogger {
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

/** Timing of follow-up steps; the defaults suit production, tests shorten them. */
export interface FollowUpTiming {
  /**
   * Waits before each retry of a follow-up step that got a 404 right after the guest was created: Graph's replicas
   * may not know the new user yet. Bounded to a few seconds so the request stays short; what still fails is left
   * to the retrier. @default [250, 500, 1000, 2000]
   */
  replicationRetryDelaysMs: number[]
  /** First wait of the retrier after a failed follow-up, doubled per run. @default 30 */
  retryBaseSeconds: number
  /** Longest wait between two runs of the retrier for one invitation. @default 3600 */
  retryMaxSeconds: number
  /**
   * How long a partial invitation stays out of the retrier's reach while the request that created it is still
   * working on it (after a crash, the retrier picks it up once this has passed). @default 300
   */
  inFlightLeaseSeconds: number
  /** Invitations the retrier claims at a time. @default 25 */
  claimBatchSize: number
  /** How long the retrier holds a claim before another instance may take it. @default 300 */
  claimLeaseSeconds: number
  /**
   * How long an approval holds its request while it invites the guest: no other decision meanwhile (after a crash,
   * the request can be decided again once this has passed). @default 300
   */
  decisionLeaseSeconds: number
}

export interface InviteServiceOptions {
  config: InviteServiceConfig
  graph: GraphApi
  tokens: GraphTokenProvider
  invitations: InvitationStore
  appUsers: AppUserStore
  /** Required in email mode `smtp`. */
  mailer?: InvitationMailer
  /** The hourly invitation quota, checked before Graph is asked; absent: no quota. */
  quota?: InvitationQuota
  /** Resolves the licences and app roles of presets per tenant; absent: one built from `graph` and `tokens`. */
  grants?: PresetGrantResolver
  clock?: () => Date
  logger?: InviteServiceLogger
  timing?: Partial<FollowUpTiming>
  /** How the service waits between replication-delay retries (tests may count the waits). */
  sleep?: (milliseconds: number) => Promise<void>
  /** Removes access for `DELETE /api/invitations/{id}`; absent: one built from the same parts. */
  removal?: AccessRemoval
  /** Emails approvers of a new request (email mode `smtp`); absent: none, the event is the notice. */
  notices?: GovernanceNotices
}

export interface InvitationListRequest {
  limit?: number
  cursor?: string
  /**
   * `all`: every inviter's invitations (admins only); `approvals`: requests the caller may decide; `reviews`: the
   * caller's guests (admins: any) whose review waits for a decision. @default 'mine'
   */
  scope?: 'mine' | 'all' | 'approvals' | 'reviews'
}

/** How one run of {@link InviteService.invite} goes. */
export interface InviteRunOptions {
  /**
   * An earlier attempt of this very request reached Graph, then died or failed (its `Idempotency-Key` was taken
   * over), maybe after Graph invited the guest: look before inviting again. This inviter's invitation to the address
   * in the last hour is that attempt's: its record is finished and answered; without a record, the guest is invited
   * again without an email (Microsoft may have sent one already), so no guest gets a second invitation email.
   */
  reconcile?: boolean
  /** Called right before Graph is asked to invite (the idempotency layer notes it, so a retry reconciles). */
  beforeGraph?: () => Promise<void>
  /** The guest's language for the BFF's own email: the body's `locale`, else the request's Accept-Language tags. */
  locale?: string | readonly string[] | null
  /**
   * A preset with an approval policy: `request` stores the invitation `pending_approval` for its approvers
   * (`POST /api/invitations`); `refuse` answers `approval_required` (a host's provisioning call). @default 'refuse'
   */
  approval?: Exclude<ApprovalMode, 'granted'>
}

/** How far back a taken-over attempt's record is looked for. */
const RECONCILE_WINDOW_MS = 3_600_000

/** The results of one run of {@link InviteService.retryDueFollowUps}. */
export interface FollowUpRunResult {
  claimed: number
  completed: number
  stillPending: number
}

export interface InviteService {
  /**
   * The invite saga: pre-flight, Graph invite, record, attributes, groups, email. With a preset that needs an
   * approval (and `approval: 'request'`), the invitation is only recorded, `pending_approval`: nothing goes to Graph.
   */
  invite(
    caller: Caller,
    request: CreateInvitationRequest,
    options?: InviteRunOptions,
  ): Promise<InvitationRecord>
  /** One invitation (the caller's own, or any for admins); `refresh` re-reads the guest's state from Graph. */
  get(caller: Caller, id: string, options?: { refresh?: boolean }): Promise<InvitationRecord>
  /**
   * Invites the same address again: same guest, new redeem URL; a guest who already redeemed gets Graph's reset
   * redemption. `locale`: the language of the BFF's own email.
   */
  resend(
    caller: Caller,
    id: string,
    options?: { locale?: string | readonly string[] | null },
  ): Promise<InvitationRecord>
  list(
    caller: Caller,
    request?: InvitationListRequest,
  ): Promise<{ items: InvitationRecord[]; nextCursor?: string }>
  /** Retries the pending follow-up steps of due partial invitations with the app's own Graph token. */
  retryDueFollowUps(): Promise<FollowUpRunResult>
  /**
   * An approver approves a request `pending_approval`: the saga runs with the approver's Graph token (On-Behalf-Of
   * in `delegated` mode, so Entra records the approver as the one who invited; the app's own in `app` mode), the
   * requester stays the invitation's inviter and the guest's sponsor. Refused: `approval_not_allowed` (the requester,
   * or not an approver), `approval_already_decided`, `approval_in_progress`.
   */
  approve(caller: Caller, id: string, decision: ApprovalDecisionRequest): Promise<InvitationRecord>
  /** An approver denies a request `pending_approval`: `denied`, nothing sent to Graph. Refused as {@link approve}. */
  deny(caller: Caller, id: string, decision: ApprovalDecisionRequest): Promise<InvitationRecord>
  /** The sponsor (the inviter) or an administrator extends the access once, within the preset's `accessDays`. */
  extend(caller: Caller, id: string, request: ExtendAccessRequest): Promise<InvitationRecord>
  /**
   * The sponsor or an administrator revokes the access, as an expiry removes it (groups, app roles, the preset's
   * `onExpiry`), at once with the app's token; a step that fails is retried by the governance work. A removal
   * already begun is answered as it stands.
   */
  remove(caller: Caller, id: string): Promise<InvitationRecord>
  /**
   * The sponsor (the inviter) or an administrator answers the periodic review waiting on the invitation: `keep`
   * schedules the next one, `remove` removes the access as an expiry does (reason `reviewed`). Refused:
   * `not_found` (not theirs), `invitation_not_active` (no access any more), `approval_already_decided` (no review
   * waits).
   */
  review(caller: Caller, id: string, decision: ReviewDecisionRequest): Promise<InvitationRecord>
}

const DEFAULT_TIMING: FollowUpTiming = {
  replicationRetryDelaysMs: [...DEFAULT_REPLICATION_RETRY_DELAYS_MS],
  ...DEFAULT_RETRY_BACKOFF,
  inFlightLeaseSeconds: 300,
  claimBatchSize: 25,
  claimLeaseSeconds: 300,
  decisionLeaseSeconds: 300,
}

/** The refusal for an action on an invitation that gives no access. */
function notActive(record: InvitationRecord, action: string): ProblemError {
  return new ProblemError('invitation_not_active', {
    detail: `The invitation is ${record.status.replace('_', ' ')}: there is no access to ${action}.`,
  })
}

/** The refusal for a decision on an invitation that is not waiting for one. */
function alreadyDecided(record: InvitationRecord): ProblemError {
  const decision = record.approval?.decision
  return new ProblemError('approval_already_decided', {
    detail: decision
      ? `This request was ${decision === 'expired' ? 'not decided in time and was denied' : decision} already.`
      : 'This invitation did not need an approval.',
  })
}

/** Batches one retrier run may claim before it yields, so a run always ends. */
const MAX_BATCHES_PER_RUN = 20

const silentLogger: InviteServiceLogger = { info() {}, warn() {}, error() {} }

/**
 * Creates the invite service: the saga of `POST /api/invitations` and the reads, resends and retries around it.
 * No Fastify here: routes call it with the authenticated {@link Caller}.
 *
 * A follow-up step (attributes, a group) that fails after Graph created the invitation never fails the request:
 * the invitation is recorded as `partial` with the step `pending`, and {@link InviteService.retryDueFollowUps}
 * finishes it later with exponential backoff.
 *
 * @example
 * const invites = createInviteService({
 *   config, graph: createGraphApi({ baseUrl: config.graphBaseUrl }), tokens,
 *   invitations: createInvitationStore(db), appUsers: createAppUserStore(db),
 * })
 * const record = await invites.invite(caller, { email: 'ada@fabrikam.example', presetId: 'apollo' })
 * record.inviteRedeemUrl // hand this to the guest
 */
/**
 * The guest's sponsors when the request names none: the signed-in inviter, as the Entra admin center does; none for
 * an app-only caller (a sponsor is a user or a group, not an application).
 */
export function defaultSponsors(caller: Pick<Caller, 'appOnly' | 'objectId'>): string[] {
  return caller.appOnly ? [] : [caller.objectId]
}

export function createInviteService(options: InviteServiceOptions): InviteService {
  const { config, graph, tokens, invitations, appUsers, mailer } = options
  const clock = options.clock ?? (() => new Date())
  const logger = options.logger ?? silentLogger
  const timing: FollowUpTiming = { ...DEFAULT_TIMING, ...options.timing }
  const grants =
    options.grants ??
    createPresetGrantResolver({
      presets: config.presets,
      graph,
      appToken: (tenantId) => tokens.appToken(tenantId, 'followUp'),
    })
  const sleep =
    options.sleep ??
    ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)))
  const removal =
    options.removal ??
    createAccessRemoval({ config, invitations, graph, tokens, clock, logger, backoff: timing })
  const notices = options.notices ?? noGovernanceNotices
  if (config.emailMode === 'smtp' && !mailer) {
    throw new TypeError("createInviteService: email mode 'smtp' needs a mailer (options.mailer).")
  }

  // Guests' states as Graph last reported them, reused for a short while: one user reloading a page must not spend
  // the Graph budget the whole app shares (per instance; a few seconds of staleness is harmless).
  const userStates =
    config.userStateCacheSeconds > 0
      ? new LRUCache<string, InvitationRecord['externalUserState']>({
          max: 10_000,
          ttl: config.userStateCacheSeconds * 1000,
        })
      : undefined

  const later = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000)

  /** Sets status and `nextRetryAt` from the steps (see {@link settleInvitation}). */
  function settle(record: InvitationRecord, retryAfterSeconds = 0): void {
    settleInvitation(record, clock(), timing, retryAfterSeconds)
  }

  /**
   * The tokens for one run of follow-ups: the inviter's (`delegated`, when one is at hand) and the app's own in the
   * invitation's tenant, each asked for once and only when a step needs it.
   */
  function stepTokens(tenantId: string, delegatedToken: string | undefined): StepTokens {
    let appToken: Promise<string> | undefined
    return async (identity) => {
      if (identity === 'delegated') return delegatedToken
      appToken ??= tokens.appToken(tenantId, 'followUp')
      return appToken
    }
  }

  /**
   * Runs the record's unfinished follow-up steps once each, each under its configured identity (with in-request
   * replication retries when asked). Never throws: a failure is written into its step. Returns the longest
   * `Retry-After` Graph asked for.
   */
  async function runFollowUps(
    record: InvitationRecord,
    tokenFor: StepTokens,
    replicationRetries: boolean,
  ): Promise<{ retryAfterSeconds: number }> {
    const retryAfter = await runFollowUpSteps([record], {
      graph,
      identities: config.followUpIdentities,
      tokenFor,
      replicationRetryDelaysMs: replicationRetries ? timing.replicationRetryDelaysMs : [],
      sleep,
      pack: false,
      logger,
    })
    return { retryAfterSeconds: retryAfter.get(record.id) ?? 0 }
  }

  /** Runs a partial record's pending follow-ups (if any), then settles and saves it. */
  async function finishAndSave(
    record: InvitationRecord,
    tokenFor: StepTokens,
    replicationRetries: boolean,
  ): Promise<void> {
    const { retryAfterSeconds } =
      record.status === 'partial'
        ? await runFollowUps(record, tokenFor, replicationRetries)
        : { retryAfterSeconds: 0 }
    settle(record, retryAfterSeconds)
    await invitations.save(record)
  }

  /**
   * Sends the BFF's own email (mode `smtp`) in the inviter's name; a failure is logged and reported as
   * `emailSentByBff: false`.
   */
  function sendOwnEmail(
    record: InvitationRecord,
    inviter: { name: string | null; email: string | null },
    locale: string | readonly string[] | null | undefined,
  ): Promise<boolean> {
    return sendInvitationEmail(mailer, record, inviter, logger, { locale: locale ?? null })
  }

  /** A request for approval: recorded `pending_approval` with what the saga needs later; nothing goes to Graph. */
  async function requestApproval(
    caller: Caller,
    request: CreateInvitationRequest,
    plan: InvitationPlan & { approval: NonNullable<InvitationPlan['approval']> },
    runOptions: InviteRunOptions,
  ): Promise<InvitationRecord> {
    const inviter = { tenantId: caller.tenantId, objectId: caller.objectId }
    if (runOptions.reconcile) {
      // An earlier attempt of this very request may have recorded it before it died.
      const recorded = await invitations.findLatest({
        inviter,
        email: plan.email,
        since: new Date(clock().getTime() - RECONCILE_WINDOW_MS),
      })
      if (recorded?.status === 'pending_approval') return recorded
    }
    await options.quota?.check(caller, 1)
    await runOptions.beforeGraph?.()
    const now = clock()
    const record = pendingRequestRecord({
      draft: {
        email: plan.email,
        redirectUrl: plan.redirectUrl,
        displayName: plan.displayName,
        message: plan.message,
        presetId: plan.preset?.id ?? null,
        attributes: plan.attributes,
        groupIds: plan.groupIds,
      },
      request: {
        body: { ...request, sponsorIds: request.sponsorIds ?? defaultSponsors(caller) },
        locale: request.locale ?? runOptions.locale ?? null,
        requesterUsername: caller.username,
        requesterRoles: caller.roles,
      },
      approval: {
        approvers: plan.approval.approvers,
        approversLabel: plan.approval.approversLabel ?? null,
        reason: plan.reason,
        expiresAt: daysAfter(now, plan.approval.expiresAfterDays ?? DEFAULT_APPROVAL_EXPIRES_AFTER_DAYS),
      },
      invitedBy: { ...inviter, name: caller.name },
      now,
    })
    await invitations.createRequest(record)
    logger.info(
      { invitationId: record.id, presetId: record.presetId },
      'An invitation waits for approval; its approvers hear of it by the invitation.approval_requested event.',
    )
    await notices.approvalRequested(record)
    return record
  }

  /** How one run of the saga goes: who invites, for whom, and (for an approved request) which record it fills. */
  interface SagaRun {
    /** Whose Graph token invites: the caller, or the approver of a request. */
    actor: Caller
    invitedBy: InvitationRecord['invitedBy']
    /** The BFF's own email names them (mode `smtp`). */
    inviter: { name: string | null; email: string | null }
    sponsorIds: readonly string[]
    request: CreateInvitationRequest
    plan: InvitationPlan
    locale: string | readonly string[] | null | undefined
    reconcile?: boolean
    beforeGraph?: () => Promise<void>
    /** The request an approval carries out: its record, the decision, and the approval's claim on it. */
    approved?: Pick<InvitationRecord, 'id' | 'createdAt'> & {
      approval: InvitationApproval
      decisionLeaseUntil: string
    }
  }

  /** The saga from the Graph invite on: invite, record, follow-ups, email, settle. */
  async function runSaga(run: SagaRun): Promise<InvitationRecord> {
    const { actor, plan, request } = run
    const token = await tokens.graphToken(actor)

    const holders = await graph.findUsersByEmail(token, plan.email)
    const member = holders.find((user) => user.userType === 'Member')
    if (member) {
      throw new ProblemError('already_member', {
        existingUserId: member.id,
        detail: `This address already belongs to a member of the organization (object id ${member.id}).`,
      })
    }
    const existingGuest = holders.find((user) => user.userType === 'Guest')

    let sendInvitationMessage = config.emailMode === 'microsoft' && request.sendEmail !== false
    if (run.reconcile) {
      // Looked up by address, not by the guest: right after an invitation, Graph's replicas may not show the guest.
      const recorded = await invitations.findLatest({
        inviter: { tenantId: run.invitedBy.tenantId, objectId: run.invitedBy.objectId },
        email: plan.email,
        since: new Date(clock().getTime() - RECONCILE_WINDOW_MS),
      })
      if (recorded && recorded.invitationId !== null && recorded.inviteRedeemUrl !== null) {
        logger.info(
          { invitationId: recorded.id },
          'A retried invitation was already recorded by an attempt that failed; its record is finished and answered.',
        )
        await finishAndSave(recorded, stepTokens(run.invitedBy.tenantId, token), true)
        return recorded
      }
      // Graph may have invited (and emailed) the guest before the attempt failed: invite again without an email.
      // The answer says Microsoft sent none, so the inviter shares the link.
      sendInvitationMessage = false
    }

    const { licenses, appRoles } = await grants.grantsFor(run.invitedBy.tenantId, plan.preset)
    // An approved request was counted when it was asked for.
    if (!run.approved) await options.quota?.check(actor, 1)
    await run.beforeGraph?.()
    const draft = {
      email: plan.email,
      redirectUrl: plan.redirectUrl,
      displayName: plan.displayName,
      message: plan.message,
      presetId: plan.preset?.id ?? null,
      attributes: plan.attributes,
      groupIds: plan.groupIds,
      licenses,
      appRoles,
    }
    const invitation = await graph.inviteGuest(
      token,
      invitationBody(
        {
          invitedUserEmailAddress: draft.email,
          inviteRedirectUrl: draft.redirectUrl,
          invitedUserDisplayName: draft.displayName,
          message: draft.message,
        },
        sendInvitationMessage,
        run.sponsorIds,
      ),
    )
    const now = clock()
    const { record, guest } = newInvitationRecord({
      draft,
      graph: invitation,
      guestId: invitation.invitedUser.id.toLowerCase(),
      existingGuest,
      invitedBy: run.invitedBy,
      now,
      inFlightUntil: later(now, timing.inFlightLeaseSeconds),
      // Access is counted from the invite, not from the request.
      term: accessTermFor(plan.preset, plan.accessDays, now),
      ...(run.approved ? { approved: run.approved } : {}),
    })
    // Recorded before any follow-up: the guest exists in the directory now, whatever happens next.
    if (run.approved) {
      record.decisionLeaseUntil = run.approved.decisionLeaseUntil
      await invitations.recordApproved(record, guest)
    } else {
      await invitations.createWithGuest(record, guest)
    }

    const { retryAfterSeconds } = await runFollowUps(
      record,
      stepTokens(run.invitedBy.tenantId, run.invitedBy.tenantId === actor.tenantId ? token : undefined),
      true,
    )
    if (config.emailMode === 'smtp' && request.sendEmail !== false) {
      record.emailSentByBff = await sendOwnEmail(record, run.inviter, request.locale ?? run.locale)
    }
    settle(record, retryAfterSeconds)
    await invitations.save(record)
    return record
  }

  /**
   * The request `id` for an approver's decision: of the caller's organization (others: `not_found`), waiting for
   * one (`approval_already_decided`), and the caller one of its approvers, never its requester
   * (`approval_not_allowed`): by an app role in the token, or as a member of an approver group — directly or through
   * nested groups, as Entra counts it (`checkMemberGroups`, read with the app's token).
   */
  async function requestToDecide(caller: Caller, id: string): Promise<InvitationRecord> {
    const record = await invitations.get(id)
    if (!record || record.invitedBy.tenantId !== caller.tenantId) {
      throw new ProblemError('not_found', { detail: `There is no invitation '${id}'.` })
    }
    if (record.status !== 'pending_approval') throw alreadyDecided(record)
    let verdict = approverByToken(caller, record)
    if (verdict === undefined) {
      const token = await tokens.appToken(record.invitedBy.tenantId, 'followUp')
      const groups = approverGroups(record.approval?.approvers ?? [])
      const member = (await graph.checkMemberGroups(token, caller.objectId, groups)).length > 0
      verdict = member ? { allowed: true } : notAnApprover(record.approval?.approvers ?? [])
    }
    if (!verdict.allowed) throw new ProblemError('approval_not_allowed', { detail: verdict.why })
    return record
  }

  /** A decision's claim on a request still pending, under its row lock (refusals thrown roll it back). */
  function claimable(record: InvitationRecord, now: Date): void {
    if (record.status !== 'pending_approval') throw alreadyDecided(record)
    if (record.approval && Date.parse(record.approval.expiresAt) <= now.getTime()) {
      throw new ProblemError('approval_already_decided', {
        detail: `Nobody decided on this request by ${record.approval.expiresAt}: it is denied.`,
      })
    }
    if (record.decisionLeaseUntil !== null && Date.parse(record.decisionLeaseUntil) > now.getTime()) {
      throw new ProblemError('approval_in_progress', {
        detail: 'Another approver approved this request; the guest is being invited.',
        retryAfterSeconds: 5,
      })
    }
  }

  /** The record, when the caller may see it: their own, or any for admins. Others are `not_found` (no probing). */
  async function visibleRecord(caller: Caller, id: string): Promise<InvitationRecord> {
    const record = await invitations.get(id)
    const own =
      record?.invitedBy.tenantId === caller.tenantId && record.invitedBy.objectId === caller.objectId
    if (!record || !(own || caller.isAdmin)) {
      throw new ProblemError('not_found', { detail: `There is no invitation '${id}'.` })
    }
    return record
  }

  function invitationBody(
    record: Pick<
      InvitationRecord,
      'invitedUserEmailAddress' | 'inviteRedirectUrl' | 'invitedUserDisplayName' | 'message'
    >,
    sendInvitationMessage: boolean,
    sponsorIds: readonly string[],
  ): GraphInvitationRequest {
    return {
      invitedUserEmailAddress: record.invitedUserEmailAddress,
      inviteRedirectUrl: record.inviteRedirectUrl,
      ...(record.invitedUserDisplayName ? { invitedUserDisplayName: record.invitedUserDisplayName } : {}),
      sendInvitationMessage,
      invitedUserType: 'Guest',
      ...(record.message ? { invitedUserMessageInfo: { customizedMessageBody: record.message } } : {}),
      ...(sponsorIds.length > 0 ? { invitedUserSponsors: sponsorIds.map((id) => ({ id })) } : {}),
    }
  }

  return {
    async invite(caller, request, runOptions = {}) {
      const plan = planInvitation(config, caller, request, runOptions.approval ?? 'refuse')
      if (plan.approval)
        return requestApproval(caller, request, { ...plan, approval: plan.approval }, runOptions)
      return runSaga({
        actor: caller,
        invitedBy: { tenantId: caller.tenantId, objectId: caller.objectId, name: caller.name },
        inviter: { name: caller.name, email: caller.username },
        sponsorIds: request.sponsorIds ?? defaultSponsors(caller),
        request,
        plan,
        locale: runOptions.locale,
        ...(runOptions.reconcile ? { reconcile: true } : {}),
        ...(runOptions.beforeGraph ? { beforeGraph: runOptions.beforeGraph } : {}),
      })
    },

    async get(caller, id, options = {}) {
      const record = await visibleRecord(caller, id)
      // A request, or access removed: there is no guest state to refresh, nor any follow-up to finish.
      if (!options.refresh || !givesAccess(record.status)) return record
      const cached = record.status === 'completed' ? userStates?.get(record.invitedUserId) : undefined
      if (cached !== undefined) {
        record.externalUserState = cached
        return record
      }
      const token = await tokens.graphToken(caller)
      const user = await graph.getUser(token, record.invitedUserId, ['id', 'externalUserState'])
      record.externalUserState = toExternalUserState(user.externalUserState)
      userStates?.set(record.invitedUserId, record.externalUserState)
      await appUsers.setExternalUserState(record.invitedUserId, record.externalUserState)
      // The caller's token is at hand: a good moment to finish what a partial invitation still owes.
      await finishAndSave(
        record,
        // The caller's token acts in the caller's tenant only (an admin may read another tenant's record).
        stepTokens(
          record.invitedBy.tenantId,
          caller.tenantId === record.invitedBy.tenantId ? token : undefined,
        ),
        false,
      )
      return record
    },

    async resend(caller, id, resendOptions = {}) {
      const record = await visibleRecord(caller, id)
      if (!givesAccess(record.status)) throw notActive(record, 'send again')
      userStates?.delete(record.invitedUserId)
      const token = await tokens.graphToken(caller)
      // Re-inviting a deleted guest's address would create another user than the one this record is about.
      const user = await graph.getUser(token, record.invitedUserId, ['id', 'userType', 'externalUserState'])
      if (user.userType === 'Member') {
        throw new ProblemError('already_member', {
          existingUserId: record.invitedUserId,
          detail: `This guest has become a member of the organization (object id ${record.invitedUserId}).`,
        })
      }
      const sendInvitationMessage = config.emailMode === 'microsoft'
      // A guest who already redeemed is invited again only with resetRedemption (Graph's "reset redemption
      // status"): the same user object, which must redeem anew; a pending one is simply sent the invitation again.
      const redeemed = user.externalUserState === 'Accepted'
      const invitation = await graph.inviteGuest(token, {
        ...invitationBody(record, sendInvitationMessage, []),
        ...(redeemed ? { resetRedemption: true, invitedUser: { id: record.invitedUserId } } : {}),
      })
      if (invitation.invitedUser.id.toLowerCase() !== record.invitedUserId) {
        logger.warn(
          {
            invitationId: record.id,
            invitedUserId: record.invitedUserId,
            graphUserId: invitation.invitedUser.id,
          },
          'Graph re-invited another user than the recorded guest.',
        )
      }
      record.invitationId = invitation.id
      record.inviteRedeemUrl = invitation.inviteRedeemUrl
      record.emailSentByMicrosoft = invitation.sendInvitationMessage === true
      record.reinvited = true
      record.externalUserState =
        invitation.status === 'Completed' ? 'Accepted' : toExternalUserState(user.externalUserState)
      const inviteStep = record.steps.find((step) => step.name === 'invite')
      if (inviteStep) inviteStep.attempts += 1
      if (config.emailMode === 'smtp') {
        record.emailSentByBff = await sendOwnEmail(
          record,
          { name: caller.name, email: caller.username },
          resendOptions.locale,
        )
      }
      record.updatedAt = clock().toISOString()
      await invitations.save(record)
      return record
    },

    async list(caller, request = {}) {
      const scope = request.scope ?? 'mine'
      if (scope === 'all' && !caller.isAdmin) {
        throw new ProblemError('forbidden', {
          detail: 'Only invitation administrators may list every invitation.',
        })
      }
      const limit = Math.min(
        Math.max(1, request.limit ?? constraints.pageSizeDefault),
        constraints.pageSizeMax,
      )
      const page = { limit, ...(request.cursor === undefined ? {} : { cursor: request.cursor }) }
      const own = { inviter: { tenantId: caller.tenantId, objectId: caller.objectId } }
      if (scope === 'approvals') {
        // An app decides nothing; a person decides by an app role in the token or a group they are in.
        if (caller.appOnly) return { items: [] }
        const named = await invitations.pendingApproverGroups(caller.tenantId)
        const groupIds =
          named.length === 0
            ? []
            : await graph.checkMemberGroups(
                await tokens.appToken(caller.tenantId, 'followUp'),
                caller.objectId,
                named,
              )
        return invitations.list({
          approver: {
            tenantId: caller.tenantId,
            objectId: caller.objectId,
            roles: caller.roles,
            groupIds,
          },
          ...page,
        })
      }
      if (scope === 'reviews') {
        return invitations.list({ ...(caller.isAdmin ? {} : own), reviewPending: true, ...page })
      }
      return invitations.list({ ...(scope === 'mine' ? own : {}), ...page })
    },

    async retryDueFollowUps() {
      const result: FollowUpRunResult = { claimed: 0, completed: 0, stillPending: 0 }
      // Nobody is signed in here: the app's own token (client credentials), in the tenant each invitation was made
      // in (a multi-tenant BFF invites a Tailspin user's guests into Tailspin), one per tenant per run.
      const appTokens = new Map<string, string>()
      const refusedTenants = new Set<string>()
      for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch += 1) {
        const due = await invitations.claimDueFollowUps({
          limit: timing.claimBatchSize,
          leaseSeconds: timing.claimLeaseSeconds,
          now: clock(),
        })
        result.claimed += due.length
        if (due.length === 0) break
        for (const tenantId of new Set(due.map((record) => record.invitedBy.tenantId))) {
          if (appTokens.has(tenantId) || refusedTenants.has(tenantId)) continue
          try {
            appTokens.set(tenantId, await tokens.appToken(tenantId, 'followUp'))
          } catch (error) {
            refusedTenants.add(tenantId)
            logger.error(
              { err: error, tenantId, claimed: due.filter((r) => r.invitedBy.tenantId === tenantId).length },
              'The follow-up retrier could not get an app token for Microsoft Graph; the invitations wait for the next run.',
            )
          }
        }
        for (const record of due) {
          const token = appTokens.get(record.invitedBy.tenantId)
          if (token === undefined) {
            record.retryAttempts += 1
            settle(record)
            await invitations.save(record)
            result.stillPending += 1
            continue
          }
          try {
            // Nobody is signed in: `app` steps run, `delegated` ones wait for the inviter's next read.
            const appOnly: StepTokens = async (identity) => (identity === 'app' ? token : undefined)
            const { retryAfterSeconds } = await runFollowUps(record, appOnly, false)
            record.retryAttempts += 1
            settle(record, retryAfterSeconds)
            await invitations.save(record)
            if (record.status === 'completed') result.completed += 1
            else result.stillPending += 1
          } catch (error) {
            // The claim's lease runs out and a later run picks the invitation up again.
            logger.error({ err: error, invitationId: record.id }, 'A partial invitation could not be saved.')
            result.stillPending += 1
          }
        }
        // No token for any of them: the token service or consent is the problem, so stop until the next run.
        if (due.every((record) => refusedTenants.has(record.invitedBy.tenantId))) break
        if (due.length < timing.claimBatchSize) break
      }
      return result
    },

    async approve(caller, id, decision) {
      await requestToDecide(caller, id)
      const now = clock()
      const decisionLeaseUntil = later(now, timing.decisionLeaseSeconds).toISOString()
      const claimed = await invitations.update(id, (fresh) => {
        claimable(fresh, now)
        fresh.decisionLeaseUntil = decisionLeaseUntil
        return true
      })
      const pending = claimed?.request
      if (!claimed?.approval || !pending) throw new Error(`The request '${id}' has no request to carry out.`)
      try {
        return await runSaga({
          actor: caller,
          invitedBy: claimed.invitedBy,
          inviter: { name: claimed.invitedBy.name, email: pending.requesterUsername },
          sponsorIds: pending.body.sponsorIds ?? [],
          request: pending.body,
          // The requester's presets, as when they asked; the approval itself is what this run grants.
          plan: planInvitation(config, { roles: pending.requesterRoles }, pending.body, 'granted'),
          locale: pending.locale,
          approved: {
            id: claimed.id,
            createdAt: claimed.createdAt,
            approval: {
              ...claimed.approval,
              decision: 'approved',
              decidedBy: personOf(caller),
              decidedAt: now.toISOString(),
              comment: sanitiseMessage(decision.comment),
            },
            decisionLeaseUntil,
          },
        })
      } catch (error) {
        // Nothing was recorded: the request waits again (a retry, another approver, or its deadline decides).
        await invitations
          .update(id, (fresh) => {
            if (fresh.status !== 'pending_approval' || fresh.decisionLeaseUntil !== decisionLeaseUntil)
              return false
            fresh.decisionLeaseUntil = null
            return true
          })
          .catch((releaseError: unknown) =>
            logger.warn({ err: releaseError, invitationId: id }, 'An approval claim could not be released.'),
          )
        throw error
      }
    },

    async deny(caller, id, decision) {
      await requestToDecide(caller, id)
      const now = clock()
      const denied = await invitations.update(id, (fresh) => {
        claimable(fresh, now)
        if (!fresh.approval) return false
        fresh.status = 'denied'
        fresh.approval = {
          ...fresh.approval,
          decision: 'denied',
          decidedBy: personOf(caller),
          decidedAt: now.toISOString(),
          comment: sanitiseMessage(decision.comment),
        }
        fresh.request = null
        fresh.decisionLeaseUntil = null
        fresh.updatedAt = now.toISOString()
        return true
      })
      if (!denied) throw new ProblemError('not_found', { detail: `There is no invitation '${id}'.` })
      return denied
    },

    async extend(caller, id, request) {
      await visibleRecord(caller, id)
      const now = clock()
      const extended = await invitations.update(id, (fresh) => {
        if (!givesAccess(fresh.status)) throw notActive(fresh, 'extend')
        extendAccess(fresh, presetOf(config, fresh), { days: request.days, by: personOf(caller), now })
        fresh.updatedAt = now.toISOString()
        return true
      })
      if (!extended) throw new ProblemError('not_found', { detail: `There is no invitation '${id}'.` })
      return extended
    },

    async remove(caller, id) {
      const record = await visibleRecord(caller, id)
      const now = clock()
      const started = await invitations.update(id, (fresh) => {
        if (fresh.status === 'removing' || fresh.status === 'removed') return false
        if (!givesAccess(fresh.status)) throw notActive(fresh, 'remove')
        removal.begin(fresh, { reason: 'revoked', requestedBy: personOf(caller), now })
        return true
      })
      // Begun already (by an expiry, or an earlier request): answered as it stands; its retries go on.
      if (!started) return (await invitations.get(id)) ?? record
      const [outcome] = await removal.carryOut([started])
      logger.info(
        { invitationId: id, status: outcome?.status },
        'A sponsor or an administrator revoked a guest’s access.',
      )
      return outcome ?? started
    },

    async review(caller, id, request) {
      await visibleRecord(caller, id)
      const now = clock()
      const decided = await invitations.update(id, (fresh) => {
        decideReview(fresh, presetOf(config, fresh), {
          decision: request.decision,
          by: personOf(caller),
          comment: sanitiseMessage(request.comment),
          now,
        })
        if (request.decision === 'remove') {
          removal.begin(fresh, { reason: 'reviewed', requestedBy: personOf(caller), now })
        }
        return true
      })
      if (!decided) throw new ProblemError('not_found', { detail: `There is no invitation '${id}'.` })
      if (decided.status !== 'removing') return decided
      const [outcome] = await removal.carryOut([decided])
      logger.info(
        { invitationId: id, status: outcome?.status },
        'A sponsor or an administrator removed a guest’s access in a periodic review.',
      )
      return outcome ?? decided
    },
  }
}
