import type { Invitation } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from '../api/harness.js'
import { mimeParts, type SmtpSink, startSmtpSink } from '../email/smtp-sink.js'
import { seeded, startTestEmulator } from '../support.js'
import {
  addresses,
  extendedCsv,
  FAST_BULK_WORKER,
  invitationsPerAddress,
  parseResults,
  runBulkJob,
} from './bulk-support.js'

/**
 * Issue 16, one engine: a bulk row Graph invited is an invitation like a single one — in `invitations` and
 * `app_users`, listed with its job id, resent, its follow-ups retried — and it is emailed in mode `smtp`.
 */
const INVITER = seeded.inviter.upn
describe('bulk rows are invitations (issue 16)', () => {
  let emulator: RunningEmulator
  let harness: Harness
  let smtp: Harness
  let sink: SmtpSink

  const directory = () => {
    const tenant = emulator.context.directory.tenant(seeded.tenantId)
    if (!tenant) throw new Error('no home tenant')
    return tenant
  }

  const runJob = (target: Harness, csv: string, headers: Record<string, string> = {}) =>
    runBulkJob(target, csv, { headers })

  /** Every invitation of the inviter, all pages. */
  async function listed(target: Harness): Promise<Invitation[]> {
    const items: Invitation[] = []
    let cursor: string | undefined
    do {
      const page = (
        await target.get(INVITER, `/api/invitations?limit=100${cursor ? `&cursor=${cursor}` : ''}`)
      ).json() as { items: Invitation[]; nextCursor?: string }
      items.push(...page.items)
      cursor = page.nextCursor
    } while (cursor)
    return items
  }

  /**
   * The job's invitations once `done` holds for all of them: a job completes when every row has Graph's answer, and
   * each invitation's follow-ups and email finish a moment later.
   */
  async function jobInvitations(
    target: Harness,
    jobId: string,
    done: (invitation: Invitation) => boolean,
  ): Promise<Invitation[]> {
    const deadline = Date.now() + 10_000
    for (;;) {
      const mine = (await listed(target)).filter((invitation) => invitation.bulkJobId === jobId)
      if (mine.every(done) || Date.now() > deadline) return mine
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  beforeAll(async () => {
    emulator = await startTestEmulator()
    sink = await startSmtpSink()
    const app = { bulk: FAST_BULK_WORKER }
    harness = await startHarness({ emulator, app })
    smtp = await startHarness({
      emulator,
      app,
      config: { emailMode: 'smtp', smtp: { url: sink.url, from: 'invites@lob.contoso.example' } },
    })
  })
  beforeEach(() => emulator.context.faults.set({}))
  afterAll(async () => {
    await harness.close()
    await smtp.close()
    await sink.close()
    await emulator.close()
  })

  it('records every invited row in invitations and app_users, listed with its job id and every step run', async () => {
    const emails = addresses(25, 'engine')
    const job = await runJob(
      harness,
      extendedCsv(emails.map((email, index) => [email, '', 'false', '', `Guest ${index}`, 'apollo', ''])),
    )
    expect(job.counts.invited).toBe(25)

    const mine = await jobInvitations(harness, job.id, (invitation) => invitation.status === 'completed')
    expect(mine.map((invitation) => invitation.invitedUserEmailAddress).sort()).toEqual([...emails].sort())
    for (const invitation of mine) {
      expect(invitation).toMatchObject({
        status: 'completed',
        presetId: 'apollo',
        emailSentByMicrosoft: false,
      })
      expect(invitation.steps.map((step) => [step.name, step.status])).toEqual([
        ['invite', 'succeeded'],
        ['updateAttributes', 'succeeded'],
        ['addToGroup', 'succeeded'],
      ])
      expect(invitation.inviteRedeemUrl).toMatch(/^https:\/\//)
      const guest = await harness.app.entraShare.appUsers.get(invitation.invitedUserId)
      expect(guest).toMatchObject({ email: invitation.invitedUserEmailAddress, userType: 'Guest' })
      expect(directory().groups.get(seeded.apolloGroupId)?.members.has(invitation.invitedUserId)).toBe(true)
      expect(directory().users.get(invitation.invitedUserId)?.usageLocation).toBe('GB')
    }
    // The results CSV and the invitations agree on who each row's guest is.
    const [, ...rows] = parseResults(
      (await harness.get(INVITER, `/api/bulk-invitations/${job.id}/results.csv`)).body,
    )
    const guestOf = new Map(
      mine.map((invitation) => [invitation.invitedUserEmailAddress, invitation.invitedUserId]),
    )
    for (const row of rows) expect(row.at(-2)).toBe(guestOf.get(row[0] as string))
  })

  it('keeps a bulk guest partial with follow_up_forbidden, and the retrier finishes it once granted', async () => {
    const group = directory().groups.get(seeded.apolloGroupId)
    if (!group) throw new Error('no preset group')
    const owners = [...group.owners]
    group.owners.clear() // the service principal may not add members yet
    try {
      const [email] = addresses(1, 'engine-forbidden') as [string]
      const job = await runJob(harness, extendedCsv([[email, '', 'false', '', '', 'apollo', '']]))
      expect(job.counts.invited).toBe(1) // the guest exists: the row is invited, whatever the follow-ups do
      // The row's detail says why once its batch has run the follow-ups, a moment after the job completed (until
      // then it says they are running).
      const detail = async () =>
        parseResults((await harness.get(INVITER, `/api/bulk-invitations/${job.id}/results.csv`)).body)[1]?.at(
          -3,
        )
      const running = (text: string | undefined) => !text || text.includes('follow-up steps are running')
      const deadline = Date.now() + 10_000
      while (running(await detail()) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50))
      expect(await detail()).toContain("make the BFF's service principal an owner of the group")

      const [invitation] = await jobInvitations(harness, job.id, (item) =>
        item.steps.every((step) => step.status === 'succeeded' || step.code !== undefined),
      )
      expect(invitation?.status).toBe('partial')
      expect(invitation?.steps.find((step) => step.name === 'addToGroup')).toMatchObject({
        status: 'pending',
        code: 'follow_up_forbidden',
      })

      for (const owner of owners) group.owners.add(owner)
      const stored = await harness.app.entraShare.invitations.get(invitation?.id ?? '')
      if (!stored) throw new Error('the bulk invitation was not stored')
      await harness.app.entraShare.invitations.save({ ...stored, nextRetryAt: new Date(0).toISOString() })
      expect(await harness.app.entraShare.invites.retryDueFollowUps()).toMatchObject({ completed: 1 })
      expect(group.members.has(stored.invitedUserId)).toBe(true)
    } finally {
      for (const owner of owners) group.owners.add(owner)
    }
  })

  it('resends a bulk guest like a single one: same guest, a new link, Graph asked once more', async () => {
    const [email] = addresses(1, 'engine-resend') as [string]
    const job = await runJob(harness, extendedCsv([[email, '', 'false', '', '', '', '']]))
    const [invitation] = (await listed(harness)).filter((item) => item.bulkJobId === job.id)
    if (!invitation) throw new Error('the bulk guest is not listed')

    const response = await harness.app.inject({
      method: 'POST',
      url: `/api/invitations/${invitation.id}/resend`,
      headers: { authorization: `Bearer ${await harness.tokenFor(INVITER)}` },
    })
    expect(response.statusCode).toBe(200)
    const resent = response.json() as Invitation
    expect(resent).toMatchObject({
      id: invitation.id,
      invitedUserId: invitation.invitedUserId,
      reinvited: true,
    })
    expect(resent.bulkJobId).toBe(job.id)
    expect(resent.inviteRedeemUrl).not.toBe(invitation.inviteRedeemUrl)
    expect((await invitationsPerAddress(emulator)).get(email.toLowerCase())).toBe(2)
  })

  it("sends the BFF's own email for each bulk row that asks for one, in mode smtp", async () => {
    const [emailed, quiet] = addresses(2, 'engine-smtp') as [string, string]
    const before = sink.messages.length
    const job = await runJob(
      smtp,
      extendedCsv([
        [emailed, '', 'true', 'Welcome aboard', 'Emailed Guest', '', ''],
        [quiet, '', 'false', '', '', '', ''],
      ]),
      { 'accept-language': 'de-AT,de;q=0.9,en;q=0.5' },
    )
    const mine = await jobInvitations(
      smtp,
      job.id,
      (item) => item.emailSentByBff || item.invitedUserEmailAddress === quiet,
    )
    const byAddress = new Map(mine.map((item) => [item.invitedUserEmailAddress, item]))
    expect(byAddress.get(emailed)).toMatchObject({ emailSentByBff: true, emailSentByMicrosoft: false })
    expect(byAddress.get(quiet)).toMatchObject({ emailSentByBff: false, emailSentByMicrosoft: false })

    const messages = sink.messages.slice(before)
    expect(messages.map((message) => message.to)).toEqual([[emailed]])
    const text = mimeParts(messages[0]?.raw ?? '').find((part) => part.contentType.startsWith('text/plain'))
    expect(text?.body).toContain(byAddress.get(emailed)?.inviteRedeemUrl)
    expect(text?.body).toContain('Welcome aboard')
    // As a single invitation's: the inviter named with their address, in the uploader's language.
    expect(text?.body).toContain(INVITER)
    expect(messages[0]?.raw).toMatch(/^Content-Language: de\r?$/m)
  })
})
