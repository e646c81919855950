import type { InvitationStep } from '@entra-share/contracts'
import {
  batchItemError,
  GRAPH_BATCH_LIMIT,
  type GraphApi,
  type GraphBatchRequest,
} from '../graph/graph-api.js'
import { graphProblem, graphRequestId } from '../graph/graph-errors.js'
import { ProblemError } from '../platform/problem-error.js'
import { type FollowUpStepName, followUpSteps, forbiddenStep, type StepIdentity } from './follow-up-steps.js'
import { forbiddenRemoval, REMOVAL_IDENTITY, removalSteps } from './removal-steps.js'
import type { InvitationRecord } from './types.js'

/**
 * The Graph token a follow-up step runs with, by the step's identity; `undefined` when that identity cannot act now
 * (no signed-in inviter for a `delegated` step in the retrier): the step waits for the inviter's next visit.
 */
export type StepTokens = (identity: StepIdentity) => Promise<string | undefined>

/** A pino-compatible logger's `warn`. */
interface WarnLogger {
  warn(details: object, message: string): void
}

/** How one run of follow-up steps goes. */
export interface FollowUpRun {
  graph: GraphApi
  /** Whose token runs each step. */
  identities: Record<FollowUpStepName, StepIdentity>
  tokenFor: StepTokens
  /**
   * Waits before each retry of a step that got a 404: right after the guest was created, Graph's replicas may not
   * know it yet. Empty: no retry in this run (the retrier's later runs are the retries).
   */
  replicationRetryDelaysMs: readonly number[]
  sleep: (milliseconds: number) => Promise<void>
  /**
   * Packs the steps of many invitations into Graph `$batch` requests (≤ 20 items each) instead of one call per step:
   * the bulk worker's way to save round trips. Graph counts every item against the budget all the same.
   */
  pack: boolean
  logger: WarnLogger
}

/** A step's state as an invitation keeps it (a follow-up step, a removal step): changed in place by a run. */
type StepState = Omit<InvitationStep, 'name'> & { name: string }

/** What a run needs of a step's definition, whatever its kind. */
interface RunnableStep {
  perform(graph: GraphApi, token: string, record: InvitationRecord, target?: string): Promise<unknown>
  /** The same request as a `$batch` item; without it, a packed run sends the step on its own. */
  batchRequest?(graph: GraphApi, record: InvitationRecord, target?: string): Omit<GraphBatchRequest, 'id'>
  after?: readonly string[]
  alreadyDone?: (error: unknown) => boolean
}

/** A kind of steps the engine runs: the follow-ups after an invite, or the removal of access. */
interface StepKind {
  /** The record's steps of this kind (changed in place). */
  stepsOf(record: InvitationRecord): StepState[]
  definitionOf(name: string): RunnableStep
  identityOf(name: string): StepIdentity
  /** The catalogued problem for a step Graph refused with 403, naming the identity and what to grant. */
  forbidden(name: string, identity: StepIdentity, target: string | undefined, cause: unknown): ProblemError
}

interface StepWork {
  record: InvitationRecord
  step: StepState
  definition: RunnableStep
  identity: StepIdentity
}

/**
 * Runs the unfinished follow-up steps of `records`, each step under its configured identity, for a single invitation
 * and for a bulk batch alike. Never throws: a success marks the step `succeeded`, a failure leaves it `pending` with
 * its catalogued code and detail (a 403 as `follow_up_forbidden`, naming the step, the identity and what to grant).
 * Returns, per record id, the longest `Retry-After` Graph asked for.
 *
 * @example
 * const retryAfter = await runFollowUpSteps([record], { graph, identities, tokenFor, replicationRetryDelaysMs: [250],
 *   sleep, pack: false, logger })
 * settleInvitation(record, new Date(), backoff, retryAfter.get(record.id))
 */
export function runFollowUpSteps(
  records: readonly InvitationRecord[],
  run: FollowUpRun,
): Promise<Map<string, number>> {
  return runSteps(records, run, {
    stepsOf: (record) => record.steps.filter((step) => step.name !== 'invite'),
    definitionOf: (name) => followUpSteps[name as FollowUpStepName],
    identityOf: (name) => run.identities[name as FollowUpStepName],
    forbidden: (name, identity, target, cause) =>
      forbiddenStep(name as FollowUpStepName, identity, target, cause),
  })
}

/**
 * Runs the unfinished removal steps of `records` (`record.removal.steps`: leaving groups and app roles, blocking or
 * deleting the guest), each under the app's identity, with the follow-up steps' engine: a success marks the step
 * `succeeded` (Graph's 404 too: nothing is left to remove), a failure leaves it `pending` with its catalogued code
 * (a 403 as `removal_forbidden`). Returns, per record id, the longest `Retry-After` Graph asked for.
 *
 * @example
 * const retryAfter = await runRemovalSteps([record], { graph, tokenFor, replicationRetryDelaysMs: [], sleep, logger })
 */
export function runRemovalSteps(
  records: readonly InvitationRecord[],
  run: Omit<FollowUpRun, 'identities' | 'pack'>,
): Promise<Map<string, number>> {
  return runSteps(
    records,
    { ...run, pack: false },
    {
      stepsOf: (record) => record.removal?.steps ?? [],
      definitionOf: (name) => removalSteps[name as keyof typeof removalSteps],
      identityOf: () => REMOVAL_IDENTITY,
      forbidden: (name, _identity, target, cause) =>
        forbiddenRemoval(name as keyof typeof removalSteps, target, cause),
    },
  )
}

/** The engine of both kinds of steps: waves of ready steps, each under its identity, with replication retries. */
async function runSteps(
  records: readonly InvitationRecord[],
  run: Omit<FollowUpRun, 'identities'>,
  kind: StepKind,
): Promise<Map<string, number>> {
  const retryAfter = new Map<string, number>()
  const failed = (work: StepWork, problem: ProblemError) => {
    const { record, step } = work
    step.status = 'pending'
    step.code = problem.code
    step.detail = problem.message
    const seconds = problem.extras.retryAfterSeconds ?? 0
    retryAfter.set(record.id, Math.max(retryAfter.get(record.id) ?? 0, seconds))
    run.logger.warn(
      {
        invitationId: record.id,
        step: step.name,
        target: step.target,
        code: problem.code,
        graphRequestId: graphRequestId(problem.cause),
      },
      'A follow-up step of an invitation failed; it stays pending and will be retried.',
    )
  }

  let waiting: StepWork[] = records.flatMap((record) =>
    kind
      .stepsOf(record)
      .filter((step) => step.status !== 'succeeded')
      .map((step) => ({
        record,
        step,
        definition: kind.definitionOf(step.name),
        identity: kind.identityOf(step.name),
      })),
  )
  // Steps that need another step of their invitation first (a licence after the usage location) run in a later
  // wave, once it succeeded; if it did not, they stay pending for the retrier, untried.
  while (waiting.length > 0) {
    const ready = waiting.filter((item) => prerequisitesDone(item, kind))
    if (ready.length === 0) break
    waiting = waiting.filter((item) => !ready.includes(item))
    await runWave(ready)
  }
  return retryAfter

  async function runWave(wave: StepWork[]): Promise<void> {
    let work = wave
    for (let round = 0; work.length > 0; round += 1) {
      const again: StepWork[] = []
      for (const identity of ['app', 'delegated'] as const) {
        const items = work.filter((item) => item.identity === identity)
        if (items.length === 0) continue
        let token: string | undefined
        try {
          token = await run.tokenFor(identity)
        } catch (error) {
          const problem = error instanceof ProblemError ? error : graphProblem(error)
          for (const item of items) failed(item, problem)
          continue
        }
        // A delegated step with nobody signed in: it waits for the inviter, as it stands.
        if (token === undefined) continue
        const errors = run.pack
          ? await sendPacked(run.graph, token, items)
          : await sendEach(run.graph, token, items)
        items.forEach((item, index) => {
          item.step.attempts += 1
          const error = errors[index]
          if (error === undefined || item.definition.alreadyDone?.(error)) {
            item.step.status = 'succeeded'
            delete item.step.code
            delete item.step.detail
            return
          }
          const problem = graphProblem(error)
          // A 404 just after creation is Graph's replicas catching up, not a missing object.
          if (problem.code === 'not_found' && round < run.replicationRetryDelaysMs.length) {
            again.push(item)
            return
          }
          // 403: the identity lacks the directory privilege; say which step, which identity and what to grant.
          failed(
            item,
            problem.code === 'forbidden'
              ? kind.forbidden(item.step.name, identity, item.step.target, error)
              : problem,
          )
        })
      }
      if (again.length > 0) await run.sleep(run.replicationRetryDelaysMs[round] ?? 0)
      work = again
    }
  }
}

/** Whether the steps a work item must wait for (its definition's `after`, those the invitation has) succeeded. */
function prerequisitesDone({ record, definition }: StepWork, kind: StepKind): boolean {
  const after = definition.after ?? []
  return kind.stepsOf(record).every((other) => !after.includes(other.name) || other.status === 'succeeded')
}

/** One call per step, in order; the error of each (`undefined`: it succeeded). */
async function sendEach(graph: GraphApi, token: string, items: readonly StepWork[]): Promise<unknown[]> {
  const errors: unknown[] = []
  for (const { record, step, definition } of items) {
    try {
      await definition.perform(graph, token, record, step.target)
      errors.push(undefined)
    } catch (error) {
      errors.push(error)
    }
  }
  return errors
}

/** The steps as `$batch` items, 20 at a time; a batch that fails as a whole fails each of its items. */
async function sendPacked(graph: GraphApi, token: string, items: readonly StepWork[]): Promise<unknown[]> {
  // A step with no batch form (a removal that reads before it deletes) goes on its own.
  if (items.some((item) => item.definition.batchRequest === undefined)) return sendEach(graph, token, items)
  const errors: unknown[] = []
  for (let start = 0; start < items.length; start += GRAPH_BATCH_LIMIT) {
    const chunk = items.slice(start, start + GRAPH_BATCH_LIMIT)
    try {
      const answers = await graph.batch(
        token,
        chunk.map(({ record, step, definition }, index) => ({
          id: String(index + 1),
          ...definition.batchRequest?.(graph, record, step.target),
        })) as GraphBatchRequest[],
      )
      for (const answer of answers) errors.push(answer.status < 300 ? undefined : batchItemError(answer))
    } catch (error) {
      for (const _ of chunk) errors.push(error)
    }
  }
  return errors
}
