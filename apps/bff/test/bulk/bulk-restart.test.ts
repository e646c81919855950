import type { ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BulkJob } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/platform/database.js'
import { assertBuilt, freePort, startBffProcess } from '../bff-process.js'
import { seeded, startTestEmulator } from '../support.js'
import { addresses, invitationsPerAddress, parseResults, portalCsv } from './bulk-support.js'

const ROWS = 2000
const APP_ORIGIN = 'https://app.contoso.example'

let emulator: RunningEmulator
let bff: ChildProcess | undefined
beforeAll(async () => {
  // The acceptance test runs what ships: the bundled CLI, which turbo built from the current sources. Not rebuilt
  // here: tsup empties dist/ first, under the feet of the other packages' tests that import it meanwhile.
  assertBuilt()
  emulator = await startTestEmulator({ faults: { throttleBudget: { requestsPerSecond: 400 } } })
}, 120_000)
afterAll(async () => {
  bff?.kill('SIGKILL')
  await emulator.close()
})

/** Starts `node dist/cli.js` against the emulator, as an operator would (environment variables only). */
function startBff(port: number, dataDir: string): Promise<ChildProcess> {
  return startBffProcess(emulator, {
    port,
    env: {
      ENTRA_SHARE_REQUIRED_ROLES: 'Invitations.Send.All',
      ENTRA_SHARE_REDIRECT_ORIGINS: APP_ORIGIN,
      ENTRA_SHARE_DEFAULT_REDIRECT_URL: `${APP_ORIGIN}/welcome`,
      ENTRA_SHARE_DATA_DIR: dataDir,
      ENTRA_SHARE_FOLLOW_UP_RETRY_SECONDS: '0',
      ENTRA_SHARE_BULK_POLL_MS: '20',
      ENTRA_SHARE_BULK_LEASE_SECONDS: '2',
      ENTRA_SHARE_BULK_RECONCILE_SETTLE_SECONDS: '1',
      ENTRA_SHARE_BULK_HOLDER_TIMEOUT_SECONDS: '2',
      // The hourly invitation quotas (bulk rows count) would refuse a 2,000-row file.
      ENTRA_SHARE_INVITATION_QUOTA_PER_USER: '100000',
      ENTRA_SHARE_INVITATION_QUOTA_PER_TENANT: '100000',
    },
  })
}

async function readJob(port: number, id: string, token: string): Promise<BulkJob> {
  const response = await fetch(`http://127.0.0.1:${port}/api/bulk-invitations/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  expect(response.status).toBe(200)
  return (await response.json()) as BulkJob
}

describe('issue 6 acceptance: a bulk job survives SIGKILL of the BFF', () => {
  it('completes a 2,000-row job after a SIGKILL mid-job, inviting each address exactly once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bff-bulk-restart-'))
    const port = await freePort()
    bff = await startBff(port, dataDir)
    const emails = addresses(ROWS, 'restart')
    const firstToken = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
    const upload = await fetch(`http://127.0.0.1:${port}/api/bulk-invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${firstToken}`, 'content-type': 'text/csv' },
      body: portalCsv(emails.map((email) => [email, '', 'false', 'Welcome, partner'])),
    })
    expect(upload.status).toBe(202)
    const { id } = (await upload.json()) as BulkJob

    // Kill it once some rows are invited and most are not.
    for (;;) {
      const job = await readJob(port, id, firstToken)
      if (job.counts.invited >= 200) {
        expect(job.counts.invited).toBeLessThan(ROWS)
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    bff.kill('SIGKILL')
    await new Promise((resolve) => bff?.once('exit', resolve))

    bff = await startBff(port, dataDir)
    const freshToken = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
    const deadline = Date.now() + 120_000
    let job = await readJob(port, id, freshToken)
    while (job.status !== 'completed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      job = await readJob(port, id, freshToken)
    }
    expect(job.status).toBe('completed')
    expect(job.counts).toEqual({ pending: 0, sending: 0, invited: ROWS, failed: 0, cancelled: 0 })

    const perAddress = await invitationsPerAddress(emulator)
    const twice = emails.filter((email) => perAddress.get(email.toLowerCase()) !== 1)
    expect(twice).toEqual([])

    const results = await fetch(`http://127.0.0.1:${port}/api/bulk-invitations/${id}/results.csv`, {
      headers: { authorization: `Bearer ${freshToken}` },
    })
    const [, ...records] = parseResults(await results.text())
    expect(records.map((record) => record[0])).toEqual(emails)
    expect(
      records.every((record) => record[4] === 'invited' && /^[0-9a-f-]{36}$/.test(record[7] ?? '')),
    ).toBe(true)
    bff.kill('SIGTERM')
    await new Promise((resolve) => bff?.once('exit', resolve))

    // Every guest of the job is an invitation and an app user by object id, across the kill.
    const database = await openDatabase({ dataDir })
    try {
      const stored = await database.query<{ id: string; app_user: string | null }>(
        `SELECT i.invited_user_id AS id, u.object_id AS app_user FROM invitations i
         LEFT JOIN app_users u ON u.object_id = i.invited_user_id WHERE i.bulk_job_id = $1`,
        [id],
      )
      const guests = new Set(stored.filter((row) => row.app_user !== null).map((row) => row.id))
      expect(records.filter((record) => !guests.has(String(record[7])))).toEqual([])
      expect(stored).toHaveLength(ROWS)
    } finally {
      await database.close()
    }
  }, 300_000)
})
