import type { BffConfig } from '../config.js'
import type { NotificationMailer } from '../email/notification-mailer.js'
import type { NotificationEmail } from '../email/notification-template.js'
import { type GraphApi, type GraphPerson, PERSON_SELECT } from '../graph/graph-api.js'
import type { GraphTokenProvider } from '../identity/caller.js'
import { approverGroups, presetOf } from './governance-policy.js'
import type { InvitationRecord } from './types.js'

/** A pino-compatible logger's `warn`. */
interface WarnLogger {
  warn(details: object, message: string): void
}

/**
 * The emails of governance (email mode `smtp`), beside the events that always tell the host app: approvers hear of a
 * request waiting for them, the sponsor (the inviter) of an expiry ahead and of a review to answer. Recipients are
 * read from Graph with the app's token: the members of the approver groups (nested groups included, the requester
 * left out) and the sponsor, each written to at `mail` (else the user principal name) in their `preferredLanguage`.
 * App-role approvers get no email: Graph cannot list who holds an app role through groups and role assignments
 * in one read the BFF may make, so the `invitation.approval_requested` event is their notice. Nothing here throws:
 * a failure is logged, the event stays the record.
 */
export interface GovernanceNotices {
  approvalRequested(record: InvitationRecord): Promise<void>
  expiring(records: readonly InvitationRecord[]): Promise<void>
  reviewRequested(records: readonly InvitationRecord[]): Promise<void>
}

export interface GovernanceNoticesOptions {
  config: Pick<BffConfig, 'presets'>
  mailer: NotificationMailer
  graph: GraphApi
  tokens: Pick<GraphTokenProvider, 'appToken'>
  logger?: WarnLogger
}

/** No emails (email modes `microsoft` and `none`): the events are the notice. */
export const noGovernanceNotices: GovernanceNotices = {
  async approvalRequested() {},
  async expiring() {},
  async reviewRequested() {},
}

const silent: WarnLogger = { warn() {} }

/**
 * @example
 * const notices = createGovernanceNotices({ config, mailer: createNotificationMailer(config.smtp), graph, tokens })
 * await notices.reviewRequested(started)
 */
export function createGovernanceNotices(options: GovernanceNoticesOptions): GovernanceNotices {
  const { config, mailer, graph, tokens } = options
  const logger = options.logger ?? silent

  const addressOf = (person: GraphPerson) => person.mail ?? person.userPrincipalName

  async function send(
    record: InvitationRecord,
    person: GraphPerson,
    email: Omit<NotificationEmail, 'to' | 'recipientName' | 'guest' | 'locale'>,
  ) {
    const to = addressOf(person)
    if (!to) {
      logger.warn(
        { invitationId: record.id, userId: person.id },
        'A governance email has no address to go to.',
      )
      return
    }
    await mailer.send({
      ...email,
      to,
      recipientName: person.displayName,
      guest: { name: record.invitedUserDisplayName, email: record.invitedUserEmailAddress },
      locale: person.preferredLanguage,
    })
  }

  /** Writes to the sponsor of each record; a failure is logged per record. */
  async function toSponsors(
    records: readonly InvitationRecord[],
    kind: 'expiring' | 'reviewRequested',
  ): Promise<void> {
    for (const record of records) {
      try {
        const token = await tokens.appToken(record.invitedBy.tenantId, 'followUp')
        const sponsor = (await graph.getUser(
          token,
          record.invitedBy.objectId,
          PERSON_SELECT,
        )) as unknown as GraphPerson
        if (kind === 'expiring') {
          await send(record, sponsor, { kind, dueAt: record.access?.expiresAt ?? record.updatedAt })
        } else {
          const reviewDefault = presetOf(config, record)?.review?.default
          await send(record, sponsor, {
            kind,
            dueAt: record.review?.deadlineAt ?? record.updatedAt,
            ...(reviewDefault ? { reviewDefault } : {}),
          })
        }
      } catch (error) {
        logger.warn(
          { invitationId: record.id, kind, err: error },
          'A governance email to the sponsor could not be sent; the event is the notice.',
        )
      }
    }
  }

  return {
    async approvalRequested(record) {
      const groups = approverGroups(record.approval?.approvers ?? [])
      if (groups.length === 0) return
      try {
        const token = await tokens.appToken(record.invitedBy.tenantId, 'followUp')
        const approvers = new Map<string, GraphPerson>()
        for (const groupId of groups) {
          for (const person of await graph.listTransitiveMemberUsers(token, groupId)) {
            // The requester never decides on their own request: no email to them.
            if (person.id !== record.invitedBy.objectId.toLowerCase()) approvers.set(person.id, person)
          }
        }
        for (const approver of approvers.values()) {
          await send(record, approver, {
            kind: 'approvalRequested',
            requesterName: record.invitedBy.name,
            reason: record.approval?.reason ?? null,
            dueAt: record.approval?.expiresAt ?? record.createdAt,
          })
        }
      } catch (error) {
        logger.warn(
          { invitationId: record.id, err: error },
          'The approvers could not be emailed; the invitation.approval_requested event is the notice.',
        )
      }
    },
    expiring: (records) => toSponsors(records, 'expiring'),
    reviewRequested: (records) => toSponsors(records, 'reviewRequested'),
  }
}
