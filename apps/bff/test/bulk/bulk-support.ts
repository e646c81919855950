import { bulkTemplateHeaders, bulkTemplateVersionRow } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { parse } from 'csv-parse/sync'

/** The portal's template as it downloads: version row, headers, the example row. */
export const PORTAL_TEMPLATE = [
  bulkTemplateVersionRow,
  bulkTemplateHeaders.portal.join(','),
  'Example:    myemail@contoso.com,https://myapplications.microsoft.com,true,Hello! You are invited to join my organization.',
].join('\r\n')

/** A portal-template CSV with one row per address (redirect left empty: the configured default). */
export function portalCsv(rows: readonly (readonly string[])[]): string {
  return `${PORTAL_TEMPLATE}\r\n${rows.map((cells) => cells.map(quote).join(',')).join('\r\n')}\r\n`
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
