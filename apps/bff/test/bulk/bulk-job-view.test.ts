import type { BulkJob, Invitation } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ProblemError } from '../../src/platform/problem-error.js'
import { type Harness, startHarness } from '../api/harness.js'
import { createTestLocation, type TestDatabaseLocation } from '../platform/databases.js'
import { seeded, startTestEmulator } from '../support.js'
import { addresses, extendedCsv, FAST_BULK_WORKER, parseResults, runBulkJob } from './bulk-support.js'

/**
 * Issue 16, one engine: a bulk job is a view over its invitations plus the file's refused rows. What the results CSV
 * says of an invited row (guest, link, follow-ups still to do) is its invitation's as it is now, not a copy made
 * when the row was invited: the retrier finishing a step, a resend's new link and a removal all show.
 */
const INVITER = seeded.inviter.upn
/** Graph refuses to add a member to any group (503): the preset's addToGroup step stays pending. */
const GROUPS_DOWN = {
  unavailable: [{ route: 'POST /v1.0/groups/*/members/$ref', status: 503 as const, retryAfterSeconds: 0 }],
}

/** A results CSV line by its columns after the input ones. */
interface ResultLine {
  email: string
  status: string
  reason: string
  detail: string
  invitedUserId: string
  inviteRedeemUrl: string
}

// PostgreSQL too: the view is one query joining the queue's rows to the invitations, on either store.
describe.each(['pglite', 'postgres'] as const)(
  'the bulk job is a view over its invitations on %s (issue 16)',
  (kind) => {
    let emulator: RunningEmulator
    let harness: Harness
    let location: TestDatabaseLocation | undefined

    const runJob = (csv: string) => runBulkJob(harness, csv)

    /** The job's results CSV, one line per row. */
    async function results(jobId: string): Promise<ResultLine[]> {
      const response = await harness.get(INVITER, `/api/bulk-invitations/${jobId}/results.csv`)
      expect(response.statusCode).toBe(200)
      const [, ...rows] = parseResults(response.body)
      return rows.map((row) => {
        const [status, reason, detail, invitedUserId, inviteRedeemUrl] = row.slice(-5) as string[]
        return {
          email: row[0] as string,
          status: status as string,
          reason: reason as string,
          detail: detail as string,
          invitedUserId: invitedUserId as string,
          inviteRedeemUrl: inviteRedeemUrl as string,
        }
      })
    }

    /** The results once `ready` holds for them (a job completes before its batch's follow-ups are saved). */
    async function resultsWhen(
      jobId: string,
      ready: (lines: ResultLine[]) => boolean,
    ): Promise<ResultLine[]> {
      const deadline = Date.now() + 10_000
      for (;;) {
        const lines = await results(jobId)
        if (ready(lines) || Date.now() > deadline) return lines
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }

    /** The job's only invitation, as the API lists it. */
    async function invitationOf(jobId: string): Promise<Invitation> {
      const page = (await harness.get(INVITER, '/api/invitations?limit=100')).json() as {
        items: Invitation[]
      }
      const invitation = page.items.find((item) => item.bulkJobId === jobId)
      if (!invitation) throw new Error(`job ${jobId} has no invitation listed`)
      return invitation
    }

    beforeAll(async () => {
      emulator = await startTestEmulator()
      location = kind === 'postgres' ? await createTestLocation('postgres', 'bulk_job_view') : undefined
      harness = await startHarness({
        emulator,
        app: {
          bulk: FAST_BULK_WORKER,
          ...(location ? { database: await location.open() } : {}),
        },
      })
    })
    beforeEach(() => emulator.context.faults.set({}))
    afterAll(async () => {
      await harness.close()
      await emulator.close()
      await location?.cleanup()
    })

    it('shows a follow-up step left pending, then done once the retrier completes it', async () => {
      emulator.context.faults.set(GROUPS_DOWN)
      const [email] = addresses(1, 'view-pending') as [string]
      const job = await runJob(extendedCsv([[email, '', 'false', '', '', 'apollo', '']]))
      expect(job.counts.invited).toBe(1)

      const [pending] = await resultsWhen(job.id, ([line]) =>
        /retried automatically/.test(line?.detail ?? ''),
      )
      const invitation = await invitationOf(job.id)
      expect(invitation.status).toBe('partial')
      expect(pending).toMatchObject({
        email,
        status: 'invited',
        reason: '',
        invitedUserId: invitation.invitedUserId,
        inviteRedeemUrl: invitation.inviteRedeemUrl,
      })
      // Which step is still to do, on which group, and why, as the invitation's step records it.
      expect(pending?.detail).toContain(`addToGroup (${seeded.apolloGroupId})`)
      expect(pending?.detail).toContain(
        invitation.steps.find((step) => step.name === 'addToGroup')?.detail ?? 'no step detail',
      )

      // Graph recovers; the retrier finishes the step, and the job's results say so without the job doing anything.
      emulator.context.faults.set({})
      const stored = await harness.app.entraShare.invitations.get(invitation.id)
      if (!stored) throw new Error('the bulk invitation was not stored')
      await harness.app.entraShare.invitations.save({ ...stored, nextRetryAt: new Date(0).toISOString() })
      expect(await harness.app.entraShare.invites.retryDueFollowUps()).toMatchObject({ completed: 1 })
      expect(await results(job.id)).toEqual([
        {
          email,
          status: 'invited',
          reason: '',
          detail: '',
          invitedUserId: invitation.invitedUserId,
          inviteRedeemUrl: invitation.inviteRedeemUrl,
        },
      ])
    })

    it("shows a resent bulk guest's new redeem URL", async () => {
      const [email] = addresses(1, 'view-resend') as [string]
      const job = await runJob(extendedCsv([[email, '', 'false', '', '', '', '']]))
      const invitation = await invitationOf(job.id)
      const [before] = await results(job.id)
      expect(before?.inviteRedeemUrl).toBe(invitation.inviteRedeemUrl)

      const response = await harness.app.inject({
        method: 'POST',
        url: `/api/invitations/${invitation.id}/resend`,
        headers: { authorization: `Bearer ${await harness.tokenFor(INVITER)}` },
      })
      expect(response.statusCode).toBe(200)
      const resent = response.json() as Invitation
      expect(resent.inviteRedeemUrl).not.toBe(invitation.inviteRedeemUrl)
      expect(await results(job.id)).toEqual([
        {
          email,
          status: 'invited',
          reason: '',
          detail: '',
          invitedUserId: invitation.invitedUserId,
          inviteRedeemUrl: resent.inviteRedeemUrl,
        },
      ])
    })

    it("says a bulk guest's access was removed once its invitation is revoked", async () => {
      const [email] = addresses(1, 'view-removed') as [string]
      const job = await runJob(extendedCsv([[email, '', 'false', '', '', 'apollo', '']]))
      await resultsWhen(job.id, ([line]) => line?.detail === '')
      const invitation = await invitationOf(job.id)

      const response = await harness.app.inject({
        method: 'DELETE',
        url: `/api/invitations/${invitation.id}`,
        headers: { authorization: `Bearer ${await harness.tokenFor(INVITER)}` },
      })
      expect(response.statusCode).toBe(200)
      expect((response.json() as Invitation).status).toBe('removed')
      const [line] = await results(job.id)
      expect(line).toMatchObject({ email, status: 'invited', invitedUserId: invitation.invitedUserId })
      expect(line?.detail).toBe("Invited; the guest's access was removed by a sponsor or an administrator.")
      // The job still counts the row as invited: it was, and its invitation says what became of it.
      const after = (await harness.get(INVITER, `/api/bulk-invitations/${job.id}`)).json() as BulkJob
      expect(after.counts.invited).toBe(1)
    })

    it('says the link of a guest found after a lost answer is unknown, until a resend gives one', async () => {
      const graph = harness.app.entraShare.graph
      const batch = graph.batch
      let lost = 0
      // Graph invites the row but its answer is lost: the next claim finds the guest by address, without a link.
      graph.batch = async (token, requests) => {
        const answers = await batch.call(graph, token, requests)
        if (lost === 0 && requests.some((request) => request.url === '/invitations')) {
          lost += 1
          throw new ProblemError('upstream_unavailable', {
            retryAfterSeconds: 0,
            detail: 'Connection reset.',
          })
        }
        return answers
      }
      try {
        const [email] = addresses(1, 'view-lost') as [string]
        const job = await runJob(extendedCsv([[email, '', 'false', '', '', '', '']]))
        expect(lost).toBe(1)
        const invitation = await invitationOf(job.id)
        expect(invitation.inviteRedeemUrl).toBeNull()
        const [found] = await results(job.id)
        expect(found).toMatchObject({
          email,
          status: 'invited',
          invitedUserId: invitation.invitedUserId,
          inviteRedeemUrl: '',
        })
        expect(found?.detail).toContain('the redeem URL is unknown: resend the invitation to get a new link')

        const response = await harness.app.inject({
          method: 'POST',
          url: `/api/invitations/${invitation.id}/resend`,
          headers: { authorization: `Bearer ${await harness.tokenFor(INVITER)}` },
        })
        expect(response.statusCode).toBe(200)
        const resent = response.json() as Invitation
        expect(resent.inviteRedeemUrl).toMatch(/^https:\/\//)
        expect(await results(job.id)).toEqual([
          {
            email,
            status: 'invited',
            reason: '',
            detail: '',
            invitedUserId: invitation.invitedUserId,
            inviteRedeemUrl: resent.inviteRedeemUrl,
          },
        ])
      } finally {
        graph.batch = batch
      }
    })

    it('keeps the queue and the refused rows its own: a row refused at upload says why, with no guest', async () => {
      const [good] = addresses(1, 'view-mixed') as [string]
      const job = await runJob(
        extendedCsv([
          [good, '', 'false', '', '', '', ''],
          ['not-an-address', '', '', '', '', '', ''],
        ]),
      )
      expect(job.counts).toMatchObject({ invited: 1, failed: 1 })
      expect(job.rejectedRows.map((row) => row.code)).toEqual(['invalid_email'])
      const [invited, refused] = await results(job.id)
      expect(invited).toMatchObject({ email: good, status: 'invited', reason: '', detail: '' })
      expect(refused).toMatchObject({
        email: 'not-an-address',
        status: 'failed',
        reason: 'invalid_email',
        invitedUserId: '',
        inviteRedeemUrl: '',
      })
      expect(refused?.detail).not.toBe('')
    })
  },
)
