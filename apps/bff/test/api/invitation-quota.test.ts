import type { BulkJob, Invitation, Problem } from '@entra-share/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addresses, portalCsv } from '../bulk/bulk-support.js'
import { seeded } from '../support.js'
import { type Harness, startHarness } from './harness.js'

/**
 * Issue 16: limits count invitations, not requests. A bulk file's rows spend the same hourly quota as single
 * invitations; a file that does not fit is refused whole at upload, saying how many rows fit now and when more do.
 */
describe('the hourly invitation quota (issue 16)', () => {
  let harness: Harness
  const upload = async (upn: string, rows: number, prefix: string) =>
    harness.app.inject({
      method: 'POST',
      url: '/api/bulk-invitations',
      headers: { authorization: `Bearer ${await harness.tokenFor(upn)}`, 'content-type': 'text/csv' },
      payload: portalCsv(addresses(rows, prefix).map((email) => [email, '', 'false', ''])),
    })
  const graphInvitations = () => emulator().invitations.size
  const emulator = () => harness.emulator.context.directory

  beforeAll(async () => {
    harness = await startHarness({
      config: { invitationQuota: { perUserPerHour: 4, perAdminPerHour: 8, perTenantPerHour: 11 } },
      app: { bulk: { pollIntervalMs: 20 } },
    })
  })
  afterAll(() => harness.close())

  it('counts single invitations and bulk rows alike, and refuses a file that does not fit, saying what does', async () => {
    for (const email of addresses(2, 'quota-single')) {
      expect((await harness.invite(seeded.inviter.upn, { email })).statusCode).toBe(201)
    }
    const before = graphInvitations()
    const refused = await upload(seeded.inviter.upn, 3, 'quota-file')
    expect(refused.statusCode).toBe(429)
    const problem = refused.json() as Problem
    expect(problem).toMatchObject({ code: 'invitation_quota_exceeded', quotaPerHour: 4, allowedNow: 2 })
    expect(problem.detail).toBe(
      'Your quota is 4 invitations an hour, bulk rows included: 3 invitations do not fit; 2 fit now (split the file), and more in 60 minutes.',
    )
    // The oldest invitation leaves the hour's window in about an hour.
    const retryAfter = Number(refused.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(3500)
    expect(retryAfter).toBeLessThanOrEqual(3600)
    expect(problem.retryAfterSeconds).toBe(retryAfter)
    expect(graphInvitations()).toBe(before) // nothing of the refused file was sent

    const accepted = await upload(seeded.inviter.upn, 2, 'quota-fits')
    expect(accepted.statusCode).toBe(202)
    expect((accepted.json() as BulkJob).totalRows).toBe(2)

    // The two queued rows are promised already: a single invitation does not fit either.
    const single = await harness.invite(seeded.inviter.upn, { email: addresses(1, 'quota-over')[0] })
    expect(single.statusCode).toBe(429)
    expect(single.json()).toMatchObject({ code: 'invitation_quota_exceeded', allowedNow: 0 })
    expect((single.json() as Problem).detail).toContain('another invitation does not fit; none fit now')
  })

  it("gives administrators their larger quota, within the tenant's", async () => {
    const admin = seeded.admin.upn
    const accepted = await upload(admin, 5, 'quota-admin')
    expect(accepted.statusCode).toBe(202)
    // 4 of Megan's and 5 of Adele's are spent or promised: the tenant's 11 leave 2, under Adele's own 3.
    const refused = await upload(admin, 3, 'quota-admin-more')
    expect(refused.json()).toMatchObject({
      code: 'invitation_quota_exceeded',
      quotaPerHour: 11,
      allowedNow: 2,
    })
    expect((refused.json() as Problem).detail).toMatch(/^Your organization's quota is 11 invitations an hour/)
    const listed = await harness.get(admin, '/api/invitations?scope=all&limit=100')
    expect((listed.json() as { items: Invitation[] }).items.length).toBeLessThanOrEqual(9)
  })
})
