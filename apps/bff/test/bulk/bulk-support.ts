import { type BulkJob, bulkTemplateHeaders, bulkTemplateVersionRow } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { parse } from 'csv-parse/sync'
import { expect } from 'vitest'
import type { Harness } from '../api/harness.js'
import { seeded } from '../support.js'

/** The portal's template as it downloads: version row, headers, the example row. */
export const PORTAL_TEMPLATE = [
  bulkTemplateVersionRow,
  bulkTemplateHeaders.portal.join(','),
  'Example:    myemail@contoso.com,https://myapplications.microsoft.com,true,Hello! You are invited to join my organization.',
].join('\r\n')

/** Bulk worker settings for tests: polls often, short leases, a lost answer looked up after a second. */
export const FAST_BULK_WORKER = { pollIntervalMs: 20, leaseSeconds: 2, reconcileSettleSeconds: 1 } as const

/** A portal-template CSV with one row per address (redirect left empty: the configured default). */
export function portalCsv(rows: readonly (readonly string[])[]): string {
  return `${PORTAL_TEMPLATE}\r\n${rows.map((cells) => cells.map(quote).join(',')).join('\r\n')}\r\n`
}

const EXTENDED_HEADER = [...bulkTemplateHeaders.portal, ...bulkTemplateHeaders.extended]

/** An extended-template CSV: email, redirect, sendEmail, message, display name, preset, usage location. */
export function extendedCsv(rows: readonly (readonly string[])[]): string {
  return [
    bulkTemplateVersionRow,
    EXTENDED_HEADER.map(quote).join(','),
    ...rows.map((row) => row.map(quote).join(',')),
  ]
    .join('\r\n')
    .concat('\r\n')
}

/** Uploads `csv` as `upn` (the seeded inviter by default), expecting `202`: the job as the upload answered it. */
export async function uploadBulkCsv(
  target: Harness,
  csv: string,
  options: { upn?: string; headers?: Record<string, string> } = {},
): Promise<BulkJob> {
  const upn = options.upn ?? seeded.inviter.upn
  const response = await target.app.inject({
    method: 'POST',
    url: '/api/bulk-invitations',
    headers: {
      authorization: `Bearer ${await target.tokenFor(upn)}`,
      'content-type': 'text/csv',
      ...options.headers,
    },
    payload: csv,
  })
  expect(response.statusCode, response.body).toBe(202)
  return response.json() as BulkJob
}

/** Uploads `csv` as `upn` (the seeded inviter by default) and waits up to 30 s for the job to complete. */
export async function runBulkJob(
  target: Harness,
  csv: string,
  options: { upn?: string; headers?: Record<string, string> } = {},
): Promise<BulkJob> {
  const { id } = await uploadBulkCsv(target, csv, options)
  return waitForBulkJob(target, id, (job) => job.status === 'completed', {
    timeoutMs: 30_000,
    pollMs: 50,
    ...(options.upn ? { upn: options.upn } : {}),
  })
}

/**
 * Polls job `id` as `upn` (the seeded inviter by default) every `pollMs` until `done` holds, for up to `timeoutMs`.
 * A job waiting out Graph's 10 s window is polled for long: too often, and the polls spend the inviter's own request
 * limit at the BFF.
 */
export async function waitForBulkJob(
  target: Harness,
  id: string,
  done: (job: BulkJob) => boolean,
  options: { timeoutMs?: number; pollMs?: number; upn?: string } = {},
): Promise<BulkJob> {
  const { timeoutMs = 20_000, pollMs = 100, upn = seeded.inviter.upn } = options
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const job = (await target.get(upn, `/api/bulk-invitations/${id}`)).json() as BulkJob
    if (done(job)) return job
    if (Date.now() > deadline) throw new Error(`Job ${id} still ${job.status}: ${JSON.stringify(job.counts)}`)
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}

export function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell
}

/** `count` addresses on one domain, unique per run. */
export function addresses(count: number, prefix: string): string[] {
  const run = `${process.pid}${Date.now().toString(36)}`
  return Array.from({ length: count }, (_, index) => `${prefix}-${run}-${index}@fabrikam.example`)
}

/** How many times the emulator was asked to invite each address (lower-cased). */
export async function invitationsPerAddress(emulator: RunningEmulator): Promise<Map<string, number>> {
  const response = await fetch(`${emulator.url}/_emulator/state`)
  const state = (await response.json()) as { invitations: { invitedUserEmailAddress: string }[] }
  const counts = new Map<string, number>()
  for (const invitation of state.invitations) {
    const key = invitation.invitedUserEmailAddress.toLowerCase()
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

/** The results CSV as records (header first). */
export function parseResults(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true }) as string[][]
}
