import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { verifyWebhook } from '@entra-share/bff'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createProjectMembersReceiver,
  type ProjectMembersReceiver,
  WEBHOOK_PATH,
} from '../server/project-members.js'
import { membersChange, PROJECT_MEMBERS_PATH, type ProjectMembersAnswer } from '../src/project-members.js'

type GuestEvent = ReturnType<typeof verifyWebhook>

const secret = () => `whsec_${randomBytes(32).toString('base64')}`
const ADA_ID = '7d1c2a1e-5b8f-4c3a-9e61-0f2b7a9c4d11'

function event(
  type: GuestEvent['type'],
  overrides: { timestamp?: Date; accepted?: boolean } = {},
): GuestEvent {
  const timestamp = (overrides.timestamp ?? new Date()).toISOString()
  return {
    id: randomUUID(),
    type,
    timestamp,
    data: {
      invitation: {
        id: 'inv-1',
        invitedUserId: ADA_ID,
        invitedUserEmailAddress: 'ada@fabrikam.example',
        invitedUserDisplayName: 'Ada Lovelace',
        inviteRedirectUrl: 'http://localhost:5173/',
        status: 'completed',
        externalUserState: overrides.accepted ? 'Accepted' : 'PendingAcceptance',
        emailSentByMicrosoft: true,
        emailSentByBff: false,
        reinvited: false,
        presetId: 'apollo',
        bulkJobId: null,
        invitedBy: { tenantId: 't', objectId: 'megan', name: 'Megan Bowen' },
        createdAt: timestamp,
        updatedAt: timestamp,
        steps: [],
        invitationId: 'graph-inv-1',
        inviteRedeemUrl: 'https://127.0.0.1:8443/redeem?rd=x',
      },
      actor: type === 'guest.accepted' ? { kind: 'guest', objectId: ADA_ID } : { kind: 'system' },
    },
  }
}

/** Standard Webhooks' headers, computed here (not with the BFF's signer) so the test checks the wire format. */
function signed(body: string, key: string, id: string, at = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000))
  const hmac = createHmac('sha256', Buffer.from(key.slice('whsec_'.length), 'base64'))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64')
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${hmac}`,
  }
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

async function serve(receiver: ProjectMembersReceiver): Promise<string> {
  const server = createServer((request, response) =>
    receiver.handle(request, response, () => response.writeHead(404).end()),
  )
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function post(url: string, body: string, headers: Record<string, string>) {
  return (await fetch(`${url}${WEBHOOK_PATH}`, { method: 'POST', headers, body })).status
}

async function table(url: string): Promise<ProjectMembersAnswer> {
  const response = await fetch(`${url}${PROJECT_MEMBERS_PATH}`)
  expect(response.status).toBe(200)
  return (await response.json()) as ProjectMembersAnswer
}

describe('the project members webhook receiver', () => {
  it('refuses a forged webhook (signed with another secret) with 401 and adds no member', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'demo-members-'))
    const receiver = createProjectMembersReceiver({ secret: secret(), dataDir })
    const url = await serve(receiver)
    const forged = event('invitation.created')
    const body = JSON.stringify(forged)

    expect(await post(url, body, signed(body, secret(), forged.id))).toBe(401)
    expect(await table(url)).toEqual({ receiving: true, members: [] })
    expect(receiver.members()).toEqual([])
    expect(existsSync(join(dataDir, 'project-members.json'))).toBe(false)
  })

  it('refuses a body altered after signing, an unsigned request and a replay older than five minutes', async () => {
    const key = secret()
    const receiver = createProjectMembersReceiver({ secret: key })
    const url = await serve(receiver)
    const genuine = event('invitation.created')
    const body = JSON.stringify(genuine)
    const altered = body.replace('ada@fabrikam.example', 'mallory@fabrikam.example')

    expect(await post(url, altered, signed(body, key, genuine.id))).toBe(401)
    expect(await post(url, body, { 'content-type': 'application/json' })).toBe(401)
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000)
    expect(await post(url, body, signed(body, key, genuine.id, tenMinutesAgo))).toBe(401)
    expect(receiver.members()).toEqual([])
  })

  it('lists a signed invitation.created guest by object id as Invited, then Accepted on guest.accepted', async () => {
    const key = secret()
    const url = await serve(createProjectMembersReceiver({ secret: key }))
    const created = event('invitation.created', { timestamp: new Date(Date.now() - 1000) })
    const createdBody = JSON.stringify(created)

    expect(await post(url, createdBody, signed(createdBody, key, created.id))).toBe(204)
    expect((await table(url)).members).toEqual([
      {
        objectId: ADA_ID,
        email: 'ada@fabrikam.example',
        displayName: 'Ada Lovelace',
        status: 'Invited',
        updatedAt: created.timestamp,
      },
    ])

    const accepted = event('guest.accepted', { accepted: true })
    const acceptedBody = JSON.stringify(accepted)
    expect(await post(url, acceptedBody, signed(acceptedBody, key, accepted.id))).toBe(204)
    expect((await table(url)).members).toMatchObject([{ objectId: ADA_ID, status: 'Accepted' }])

    // A late invitation.completed of the same invitation (older than the acceptance) does not undo it.
    const completed = event('invitation.completed', { timestamp: new Date(Date.now() - 500) })
    const completedBody = JSON.stringify(completed)
    expect(await post(url, completedBody, signed(completedBody, key, completed.id))).toBe(204)
    expect((await table(url)).members).toMatchObject([{ objectId: ADA_ID, status: 'Accepted' }])
  })

  it('applies a webhook id once: a redelivery under the same id changes nothing', async () => {
    const key = secret()
    const url = await serve(createProjectMembersReceiver({ secret: key }))
    const created = event('invitation.created')
    const body = JSON.stringify(created)
    expect(await post(url, body, signed(body, key, created.id))).toBe(204)

    // Same webhook id, a (validly signed) different event: already handled, so not applied.
    const accepted = { ...event('guest.accepted', { accepted: true }), id: created.id }
    const acceptedBody = JSON.stringify(accepted)
    expect(await post(url, acceptedBody, signed(acceptedBody, key, created.id))).toBe(204)
    expect((await table(url)).members).toMatchObject([{ objectId: ADA_ID, status: 'Invited' }])
  })

  it('keeps the table and the ids it has seen in its data folder across restarts', async () => {
    const key = secret()
    const dataDir = mkdtempSync(join(tmpdir(), 'demo-members-'))
    const first = await serve(createProjectMembersReceiver({ secret: key, dataDir }))
    const created = event('invitation.created')
    const body = JSON.stringify(created)
    expect(await post(first, body, signed(body, key, created.id))).toBe(204)
    expect(JSON.parse(readFileSync(join(dataDir, 'project-members.json'), 'utf8')).seen).toEqual([created.id])

    const restarted = createProjectMembersReceiver({ secret: key, dataDir })
    expect(restarted.members()).toMatchObject([{ objectId: ADA_ID, status: 'Invited' }])
    const url = await serve(restarted)
    const replayed = { ...event('guest.accepted', { accepted: true }), id: created.id }
    const replayedBody = JSON.stringify(replayed)
    expect(await post(url, replayedBody, signed(replayedBody, key, created.id))).toBe(204)
    expect(restarted.members()).toMatchObject([{ status: 'Invited' }])
  })

  it('answers 405 to other methods and leaves other paths to the next handler', async () => {
    const url = await serve(createProjectMembersReceiver({ secret: secret() }))
    expect((await fetch(`${url}${WEBHOOK_PATH}`)).status).toBe(405)
    expect((await fetch(`${url}${PROJECT_MEMBERS_PATH}`, { method: 'POST', body: '{}' })).status).toBe(405)
    expect((await fetch(`${url}/index.html`)).status).toBe(404)
  })
})

describe('membersChange', () => {
  const ada = {
    objectId: ADA_ID,
    email: 'ada@fabrikam.example',
    displayName: 'Ada Lovelace',
    status: 'Invited' as const,
    updatedAt: '2026-12-01T09:00:00.000Z',
  }

  it('says who was added and whose status changed, and nothing on the first reading or when nothing did', () => {
    expect(membersChange(null, [ada])).toBeNull()
    expect(membersChange([], [ada])).toBe('Ada Lovelace was added to the project members (Invited).')
    expect(membersChange([ada], [{ ...ada, status: 'Accepted' }])).toBe('Ada Lovelace is now Accepted.')
    expect(membersChange([ada], [{ ...ada, updatedAt: '2026-12-01T10:00:00.000Z' }])).toBeNull()
  })
})
