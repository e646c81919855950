import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { verifyWebhook, WebhookVerificationError } from '@entra-share/bff'
import type { Plugin } from 'vite'
import {
  PROJECT_MEMBERS_PATH,
  type ProjectMember,
  type ProjectMembersAnswer,
} from '../src/project-members.js'

/**
 * The demo's webhook receiver: the BFF (`ENTRA_SHARE_WEBHOOK_URL`, set by scripts/dev.mjs) posts every guest event
 * here, signed with the shared `whsec_` secret; the receiver keeps the project members table from them.
 */
export const WEBHOOK_PATH = '/api/entra-share-events'
/** The environment variables scripts/dev.mjs hands the dev server: the BFF's webhook secret, and where to keep the table. */
export const SECRET_VARIABLE = 'ENTRA_SHARE_DEMO_WEBHOOK_SECRET'
export const DATA_DIR_VARIABLE = 'ENTRA_SHARE_DEMO_DATA_DIR'

/** The webhook ids remembered to drop redeliveries (at least once: the BFF may post an event again). */
const SEEN_IDS_KEPT = 1000
/** Events are a few kilobytes. */
const MAX_BODY_BYTES = 1024 * 1024

export interface ProjectMembersReceiverOptions {
  /** The BFF's `ENTRA_SHARE_WEBHOOK_SECRET` (`whsec_…`). */
  secret: string
  /** A folder for `project-members.json`; without one the table lives in memory only. */
  dataDir?: string
}

type Next = (error?: unknown) => void

export interface ProjectMembersReceiver {
  /**
   * Connect-style handler: `POST /api/entra-share-events` (the webhook: 204, or 401 when the signature or timestamp
   * does not verify, storing nothing) and `GET /api/project-members` (the table as JSON); other paths go to `next`.
   */
  handle(request: IncomingMessage, response: ServerResponse, next: Next): void
  /** The table, oldest first. */
  members(): ProjectMember[]
}

/** A row as kept: the member, and when the first event about them arrived (the table's order). */
type StoredMember = ProjectMember & { firstSeenAt: string }

interface StoredTable {
  members: Record<string, StoredMember>
  /** The latest webhook ids applied, oldest first. */
  seen: string[]
}

/**
 * The receiver behind the demo's project members table.
 *
 * @example
 * const receiver = createProjectMembersReceiver({ secret: 'whsec_…', dataDir: '.data/demo' })
 * http.createServer((req, res) => receiver.handle(req, res, () => res.writeHead(404).end())).listen(5174)
 */
export function createProjectMembersReceiver(options: ProjectMembersReceiverOptions): ProjectMembersReceiver {
  const { secret } = options
  const file = options.dataDir ? join(options.dataDir, 'project-members.json') : undefined
  const table: StoredTable = file ? readTable(file) : { members: {}, seen: [] }
  const seen = new Set(table.seen)

  const save = () => {
    if (!file) return
    mkdirSync(join(file, '..'), { recursive: true })
    writeFileSync(`${file}.tmp`, `${JSON.stringify(table, null, 2)}\n`)
    renameSync(`${file}.tmp`, file)
  }

  const members = () =>
    Object.values(table.members)
      .sort((a, b) => a.firstSeenAt.localeCompare(b.firstSeenAt))
      .map(publicMember)

  const receive = (body: Buffer, request: IncomingMessage, response: ServerResponse) => {
    let event: ReturnType<typeof verifyWebhook>
    try {
      event = verifyWebhook(body, request.headers, secret)
    } catch (error) {
      // A forged, altered or replayed (older than five minutes) request: nothing is stored.
      const status = error instanceof WebhookVerificationError ? 401 : 400
      return send(response, status, { error: error instanceof Error ? error.message : String(error) })
    }
    const webhookId = String(request.headers['webhook-id'])
    if (seen.has(webhookId)) return send(response, 204)
    const invitation = event.data?.invitation
    if (typeof invitation?.invitedUserId !== 'string' || invitation.invitedUserId === '')
      return send(response, 400, { error: 'The event has no data.invitation.invitedUserId.' })

    const current = table.members[invitation.invitedUserId]
    // Events come in order per invitation, not across a guest's invitations: a later one is not undone.
    if (!current || event.timestamp >= current.updatedAt) {
      const accepted = event.type === 'guest.accepted' || invitation.externalUserState === 'Accepted'
      table.members[invitation.invitedUserId] = {
        objectId: invitation.invitedUserId,
        email: invitation.invitedUserEmailAddress,
        displayName: invitation.invitedUserDisplayName,
        // A new invitation (a guest invited again after their redemption was reset) is pending until redeemed.
        status:
          accepted || (current?.status === 'Accepted' && event.type !== 'invitation.created')
            ? 'Accepted'
            : 'Invited',
        firstSeenAt: current?.firstSeenAt ?? event.timestamp,
        updatedAt: event.timestamp,
      }
    }
    seen.add(webhookId)
    table.seen.push(webhookId)
    if (table.seen.length > SEEN_IDS_KEPT) seen.delete(table.seen.shift() ?? '')
    save()
    send(response, 204)
  }

  return {
    members,
    handle(request, response, next) {
      const path = (request.url ?? '/').split('?')[0]
      if (path === PROJECT_MEMBERS_PATH) {
        if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed(response, 'GET')
        const answer: ProjectMembersAnswer = { receiving: true, members: members() }
        return send(response, 200, answer)
      }
      if (path !== WEBHOOK_PATH) return next()
      if (request.method !== 'POST') return methodNotAllowed(response, 'POST')
      readBody(request).then(
        (body) => (body ? receive(body, request, response) : send(response, 413)),
        (error) => next(error),
      )
    },
  }
}

/**
 * The Vite plugin that serves the receiver on the demo's dev server, with the secret and data folder scripts/dev.mjs
 * puts in the environment. Without a secret (the dev server started some other way) the table is empty and says so.
 */
export function projectMembers(env: NodeJS.ProcessEnv = process.env): Plugin {
  return {
    name: 'demo-project-members',
    apply: 'serve',
    configureServer(server) {
      const secret = env[SECRET_VARIABLE]
      const dataDir = env[DATA_DIR_VARIABLE]
      const receiver = secret
        ? createProjectMembersReceiver({ secret, ...(dataDir ? { dataDir } : {}) })
        : null
      server.middlewares.use((request, response, next) => {
        if (receiver) return receiver.handle(request, response, next)
        const path = (request.url ?? '/').split('?')[0]
        if (path === PROJECT_MEMBERS_PATH) return send(response, 200, { receiving: false, members: [] })
        if (path === WEBHOOK_PATH) return send(response, 404)
        next()
      })
    },
  }
}

function publicMember({ firstSeenAt: _, ...member }: StoredMember): ProjectMember {
  return member
}

function readTable(file: string): StoredTable {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredTable>
    return {
      members: parsed.members ?? {},
      seen: Array.isArray(parsed.seen) ? parsed.seen : [],
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      console.warn(`project members: starting empty, cannot read ${file} (${(error as Error).message}).`)
    return { members: {}, seen: [] }
  }
}

/** The body as received (signatures are over the exact bytes), or `null` past {@link MAX_BODY_BYTES}. */
async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = []
  let size = 0
  // Read to the end even past the limit, so the answer reaches the sender.
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer)
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)
}

function methodNotAllowed(response: ServerResponse, allow: string) {
  response.setHeader('allow', allow)
  send(response, 405)
}

function send(response: ServerResponse, status: number, body?: unknown) {
  response.statusCode = status
  response.setHeader('cache-control', 'no-store')
  if (body === undefined) return response.end()
  response.setHeader('content-type', 'application/json')
  response.end(JSON.stringify(body))
}
