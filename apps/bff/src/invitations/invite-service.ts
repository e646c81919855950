import { randomUUID } from 'node:crypto'
import { type CreateInvitationRequest, constraints, type InvitationStep } from '@entra-share/contracts'
import { LRUCache } from 'lru-cache'
import type { BffConfig } from '../config.js'
import type { InvitationMailer } from '../email/types.js'
import type { GraphApi, GraphInvitationRequest } from '../graph/graph-api.js'
import { graphProblem, graphRequestId } from '../graph/graph-errors.js'
import type { Caller, GraphTokenProvider } from '../identity/caller.js'
import { ProblemError } from '../platform/problem-error.js'
import { type FollowUpStepName, followUpSteps, forbiddenStep, type StepIdentity } from './follow-up-steps.js'
import { planInvitation } from './preflight.js'
import type { AppUser, AppUserStore, InvitationRecord, InvitationStore } from './types.js'

/**
 * The Graph token a follow-up step runs with, by the step's identity; `undefined` when that identity cannot act now
 * (no signed-in inviter for a `delegated` step in the retrier): the step waits for the inviter's next visit.
 */
type StepTokens = (identity: StepIdentity) => Promise<string | undefined>

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
}

export interface InviteServiceOptions {
  config: InviteServiceConfig
  graph: GraphApi
  tokens: GraphTokenProvider
  invitations: InvitationStore
  appUsers: AppUserStore
  /** Required in email mode `smtp`. */
  mailer?: InvitationMailer
  clock?: () => Date
  logger?: InviteServiceLogger
  timing?: Partial<FollowUpTiming>
  /** How the service waits between replication-delay retries (tests may count the waits). */
  sleep?: (milliseconds: number) => Promise<void>
}

export interface InvitationListRequest {
  limit?: number
  cursor?: string
  /** `all`: every inviter's invitations (admins only). @default 'mine' */
  scope?: 'mine' | 'all'
}

/** The results of one run of {@link InviteService.retryDueFollowUps}. */
export interface FollowUpRunResult {
  claimed: number
  completed: number
  stillPending: number
}

export interface InviteService {
  /** The invite saga: pre-flight, Graph invite, record, attributes, groups, email. */
  invite(caller: Caller, request: CreateInvitationRequest): Promise<InvitationRecord>
  /** One invitation (the caller's own, or any for admins); `refresh` re-reads the guest's state from Graph. */
  get(caller: Caller, id: string, options?: { refresh?: boolean }): Promise<InvitationRecord>
  /** Invites the same address again: same guest, new redeem URL. */
  resend(caller: Caller, id: string): Promise<InvitationRecord>
  list(
    caller: Caller,
    request?: InvitationListRequest,
  ): Promise<{ items: InvitationRecord[]; nextCursor?: string }>
  /** Retries the pending follow-up steps of due partial invitations with the app's own Graph token. */
  retryDueFollowUps(): Promise<FollowUpRunResult>
}

const DEFAULT_TIMING: FollowUpTiming = {
  replicationRetryDelaysMs: [250, 500, 1000, 2000],
  retryBaseSeconds: 30,
  retryMaxSeconds: 3600,
  inFlightLeaseSeconds: 300,
  claimBatchSize: 25,
  claimLeaseSeconds: 300,
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
export function createInviteService(options: InviteServiceOptions): InviteService {
  const { config, graph, tokens, invitations, appUsers, mailer } = options
  const clock = options.clock ?? (() => new Date())
  const logger = options.logger ?? silentLogger
  const timing: FollowUpTiming = { ...DEFAULT_TIMING, ...options.timing }
  const sleep =
    options.sleep ??
    ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)))
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

  const later = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString()

  /** Sets status and `nextRetryAt` from the steps: exponential backoff on the retrier's attempts, or Graph's hint. */
  function settle(record: InvitationRecord, retryAfterSeconds = 0): void {
    const now = clock()
    const pending = record.steps.some((step) => step.status !== 'succeeded')
    const backoff = Math.min(timing.retryMaxSeconds, timing.retryBaseSeconds * 2 ** record.retryAttempts)
    record.status = pending ? 'partial' : 'completed'
    record.nextRetryAt = pending ? later(now, Math.max(backoff, retryAfterSeconds)) : null
    record.updatedAt = now.toISOString()
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
    let retryAfterSeconds = 0
    for (const step of record.steps) {
      if (!isFollowUp(step) || step.status === 'succeeded') continue
      const problem = await attemptStep(record, step, tokenFor, replicationRetries)
      if (problem) retryAfterSeconds = Math.max(retryAfterSeconds, problem.extras.retryAfterSeconds ?? 0)
    }
    return { retryAfterSeconds }
  }

  async function attemptStep(
    record: InvitationRecord,
    step: InvitationStep & { name: FollowUpStepName },
    tokenFor: StepTokens,
    replicationRetries: boolean,
  ): Promise<ProblemError | undefined> {
    const identity = config.followUpIdentities[step.name]
    const delays = replicationRetries ? timing.replicationRetryDelaysMs : []
    let token: string | undefined
    try {
      token = await tokenFor(identity)
    } catch (error) {
      return stepFailed(record, step, error instanceof ProblemError ? error : graphProblem(error))
    }
    // A delegated step with nobody signed in: it waits for the inviter, as it stands.
    if (token === undefined) return undefined
    for (let retry = 0; ; retry += 1) {
      step.attempts += 1
      try {
        await followUpSteps[step.name].perform(graph, token, record, step.target)
        step.status = 'succeeded'
        delete step.code
        delete step.detail
        return undefined
      } catch (error) {
        const problem = graphProblem(error)
        const delay = delays[retry]
        // A 404 just after creation is Graph's replicas catching up, not a missing object.
        if (problem.code === 'not_found' && delay !== undefined) {
          await sleep(delay)
          continue
        }
        // 403: the identity lacks the directory privilege; say which step, which identity and what to grant.
        return stepFailed(
          record,
          step,
          problem.code === 'forbidden' ? forbiddenStep(step.name, identity, step.target, error) : problem,
        )
      }
    }
  }

  function stepFailed(record: InvitationRecord, step: InvitationStep, problem: ProblemError): ProblemError {
    step.status = 'pending'
    step.code = problem.code
    step.detail = problem.message
    logger.warn(
      {
        invitationId: record.id,
        step: step.name,
        target: step.target,
        code: problem.code,
        graphRequestId: graphRequestId(problem.cause),
      },
      'A follow-up step of an invitation failed; it stays pending and will be retried.',
    )
    return problem
  }

  /** Sends the BFF's own email (mode `smtp`); a failure is logged and reported as `emailSentByBff: false`. */
  async function sendOwnEmail(record: InvitationRecord, caller: Caller): Promise<boolean> {
    if (!mailer) return false
    try {
      await mailer.send({
        to: record.invitedUserEmailAddress,
        guestDisplayName: record.invitedUserDisplayName,
        inviterName: caller.name,
        inviterEmail: caller.username,
        inviteRedeemUrl: record.inviteRedeemUrl,
        message: record.message,
      })
      return true
    } catch (error) {
      logger.warn(
        { invitationId: record.id, err: error },
        'The invitation email could not be sent; the redeem URL is in the answer.',
      )
      return false
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
  ): GraphInvitationRequest {
    return {
      invitedUserEmailAddress: record.invitedUserEmailAddress,
      inviteRedirectUrl: record.inviteRedirectUrl,
      ...(record.invitedUserDisplayName ? { invitedUserDisplayName: record.invitedUserDisplayName } : {}),
      sendInvitationMessage,
      invitedUserType: 'Guest',
      ...(record.message ? { invitedUserMessageInfo: { customizedMessageBody: record.message } } : {}),
    }
  }

  return {
    async invite(caller, request) {
      const plan = planInvitation(config, caller, request)
      const token = await tokens.graphToken(caller)

      const holders = await graph.findUsersByEmail(token, plan.email)
      const member = holders.find((user) => user.userType === 'Member')
      if (member) {
        throw new ProblemError('already_member', {
          existingUserId: member.id,
          detail: `This address already belongs to a member of the organization (object id ${member.id}).`,
        })
      }
      const existingGuest = holders.find((user) => user.userType === 'Guest')

      const sendInvitationMessage = config.emailMode === 'microsoft' && request.sendEmail !== false
      const draft = {
        invitedUserEmailAddress: plan.email,
        inviteRedirectUrl: plan.redirectUrl,
        invitedUserDisplayName: plan.displayName,
        message: plan.message,
      }
      const invitation = await graph.inviteGuest(token, invitationBody(draft, sendInvitationMessage))
      const guestId = invitation.invitedUser.id.toLowerCase()

      const now = clock()
      const createdAt = now.toISOString()
      const externalUserState = existingGuest
        ? toExternalUserState(existingGuest.externalUserState)
        : invitation.status === 'Completed'
          ? 'Accepted'
          : 'PendingAcceptance'
      const followUps: InvitationStep[] = [
        ...(Object.keys(plan.attributes).length > 0
          ? [{ name: 'updateAttributes' as const, status: 'pending' as const, attempts: 0 }]
          : []),
        ...plan.groupIds.map((groupId) => ({
          name: 'addToGroup' as const,
          target: groupId,
          status: 'pending' as const,
          attempts: 0,
        })),
      ]
      const record: InvitationRecord = {
        id: randomUUID(),
        invitationId: invitation.id,
        invitedUserId: guestId,
        invitedUserEmailAddress: plan.email,
        invitedUserDisplayName: plan.displayName,
        inviteRedeemUrl: invitation.inviteRedeemUrl,
        inviteRedirectUrl: plan.redirectUrl,
        status: followUps.length > 0 ? 'partial' : 'completed',
        externalUserState,
        emailSentByMicrosoft: invitation.sendInvitationMessage === true,
        emailSentByBff: false,
        reinvited: existingGuest !== undefined,
        presetId: plan.preset?.id ?? null,
        invitedBy: { tenantId: caller.tenantId, objectId: caller.objectId, name: caller.name },
        createdAt,
        updatedAt: createdAt,
        steps: [{ name: 'invite', status: 'succeeded', attempts: 1 }, ...followUps],
        message: plan.message,
        attributes: plan.attributes,
        groupIds: plan.groupIds,
        retryAttempts: 0,
        // Out of the retrier's reach while this request works on it; after a crash, the retrier takes over.
        nextRetryAt: followUps.length > 0 ? later(now, timing.inFlightLeaseSeconds) : null,
      }
      const guest: AppUser = {
        objectId: guestId,
        email: plan.email,
        displayName: plan.displayName ?? existingGuest?.displayName ?? null,
        userType: 'Guest',
        externalUserState,
        invitedByTenantId: caller.tenantId,
        invitedByObjectId: caller.objectId,
        createdAt,
        updatedAt: createdAt,
      }
      // Recorded before any follow-up: the guest exists in the directory now, whatever happens next.
      await invitations.createWithGuest(record, guest)

      const { retryAfterSeconds } = await runFollowUps(record, stepTokens(caller.tenantId, token), true)
      if (config.emailMode === 'smtp' && request.sendEmail !== false) {
        record.emailSentByBff = await sendOwnEmail(record, caller)
      }
      settle(record, retryAfterSeconds)
      await invitations.save(record)
      return record
    },

    async get(caller, id, options = {}) {
      const record = await visibleRecord(caller, id)
      if (!options.refresh) return record
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
      const { retryAfterSeconds } =
        record.status === 'partial'
          ? await runFollowUps(
              record,
              // The caller's token acts in the caller's tenant only (an admin may read another tenant's record).
              stepTokens(
                record.invitedBy.tenantId,
                caller.tenantId === record.invitedBy.tenantId ? token : undefined,
              ),
              false,
            )
          : { retryAfterSeconds: 0 }
      settle(record, retryAfterSeconds)
      await invitations.save(record)
      return record
    },

    async resend(caller, id) {
      const record = await visibleRecord(caller, id)
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
      const invitation = await graph.inviteGuest(token, invitationBody(record, sendInvitationMessage))
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
      if (config.emailMode === 'smtp') record.emailSentByBff = await sendOwnEmail(record, caller)
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
      return invitations.list({
        ...(scope === 'mine' ? { inviter: { tenantId: caller.tenantId, objectId: caller.objectId } } : {}),
        limit,
        ...(request.cursor === undefined ? {} : { cursor: request.cursor }),
      })
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
  }
}

function isFollowUp(step: InvitationStep): step is InvitationStep & { name: FollowUpStepName } {
  return step.name !== 'invite'
}

function toExternalUserState(value: unknown): InvitationRecord['externalUserState'] {
  return value === 'PendingAcceptance' || value === 'Accepted' ? value : 'Unknown'
}
