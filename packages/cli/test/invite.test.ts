import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addresses,
  invitationsPerAddress,
  parseResults,
  portalCsv,
  runCli,
  type Stack,
  startCli,
  startStack,
  writeCsv,
} from './support.js'

const INVITER = 'megan@contoso.example'

let stack: Stack
let token: string
beforeAll(async () => {
  stack = await startStack()
  token = (await signInToSpa(stack.emulator as RunningEmulator, INVITER)).access_token
})
afterAll(() => stack.close())

describe('entra-share invite with ENTRA_SHARE_TOKEN (issue 6)', () => {
  it('runs a 30-row file with 2 bad rows: reports them by row number, writes all 30 results, exits 1', async () => {
    const good = addresses(28, 'cli-mixed')
    const rows = [...good]
    // Data starts at spreadsheet row 4 (version row, header row, the portal's example row).
    rows.splice(10, 0, 'not-an-address') // row 14
    rows.splice(20, 0, good[3] as string) // row 24: the same address again
    const csvPath = writeCsv(stack, 'mixed.csv', portalCsv(rows))
    const outPath = join(stack.dir, 'mixed-out.csv')

    const run = await runCli(
      ['invite', '--csv', csvPath, '--bff', stack.bffUrl, '--out', outPath, '--poll-interval', '0.2'],
      {
        ENTRA_SHARE_TOKEN: token,
      },
    )

    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /Uploaded mixed\.csv: 30 rows in job [0-9a-f-]{36} \(the portal's example row was skipped\)\./,
    )
    expect(run.stdout).toContain('2 rows were refused at upload:')
    expect(run.stdout).toContain('Row 14 (not-an-address): invalid_email - ')
    expect(run.stdout).toContain(`Row 24 (${good[3]}): duplicate_in_file - `)
    expect(run.stdout).toMatch(/^Progress: \d+\/30 rows \(/m)
    expect(run.stdout).toMatch(/Done in .+: 28 of 30 rows invited, 2 failed\./)
    expect(run.stdout).toContain(
      `2 rows were not invited; the status, reason and detail columns of ${outPath} say why.`,
    )

    const [header, ...records] = parseResults(readFileSync(outPath, 'utf8'))
    expect(header?.slice(0, 1)).toEqual(['Email address to invite [inviteeEmail] Required'])
    expect(header?.slice(-5)).toEqual(['status', 'reason', 'detail', 'invitedUserId', 'inviteRedeemUrl'])
    expect(records).toHaveLength(30)
    const status = header?.indexOf('status') ?? -1
    const reason = header?.indexOf('reason') ?? -1
    expect(records.filter((record) => record[status] === 'invited')).toHaveLength(28)
    expect(records[10]?.[status]).toBe('failed')
    expect(records[10]?.[reason]).toBe('invalid_email')
    expect(records[20]?.[status]).toBe('failed')
    expect(records[20]?.[reason]).toBe('duplicate_in_file')

    const perAddress = await invitationsPerAddress(stack.emulator)
    for (const email of good) expect(perAddress.get(email.toLowerCase())).toBe(1)
  })

  it('exits 0 when every row is invited and writes FILE.results.csv beside the input by default', async () => {
    const csvPath = writeCsv(stack, 'partners.csv', portalCsv(addresses(12, 'cli-good')))
    const run = await runCli(['invite', '--csv', csvPath, '--bff', stack.bffUrl, '--poll-interval', '0.2'], {
      ENTRA_SHARE_TOKEN: token,
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Done in .+: 12 of 12 rows invited, 0 failed\./)
    const outPath = join(stack.dir, 'partners.results.csv')
    expect(run.stdout).toContain(`Results written to ${outPath}.`)
    const [, ...records] = parseResults(readFileSync(outPath, 'utf8'))
    expect(records).toHaveLength(12)
  })

  /**
   * Starts the CLI on 40 new addresses under a throttle budget of 2 requests a second, with Graph's writes answered
   * `latencyMs` late, and waits for its first progress line; the caller resets the faults.
   */
  async function startSlowRun(prefix: string, latencyMs: number) {
    stack.emulator.context.faults.set({
      throttleBudget: { requestsPerSecond: 2 },
      latency: [{ requests: 'writes', ms: latencyMs }],
    })
    const good = addresses(40, prefix)
    const csvPath = writeCsv(stack, `${prefix}.csv`, portalCsv(good))
    const cli = startCli(['invite', '--csv', csvPath, '--bff', stack.bffUrl, '--poll-interval', '0.2'], {
      ENTRA_SHARE_TOKEN: token,
    })
    await cli.waitForOutput(/^Progress: /m)
    return { cli, good, csvPath }
  }

  it('asks the BFF to cancel on Ctrl-C, waits for the rows in flight, and exits 130', async () => {
    // Graph's throttle budget keeps the job running long enough to interrupt it. The BFF claims all 40 rows at once
    // and Graph's latency keeps them in flight at the Ctrl-C, so the counts are final only once they land.
    try {
      const { cli, good } = await startSlowRun('cli-interrupted', 1500)
      cli.child.kill('SIGINT')
      const run = await cli.done
      expect(run.code).toBe(130)
      expect(run.stdout).toContain('Interrupted: asking the BFF to cancel the job…')
      expect(run.stdout).toMatch(/Waiting for the \d+ rows already sent to Graph/)
      const cancelled = /Cancelled: (\d+) rows will not be sent; (\d+) were invited and (\d+) failed/.exec(
        run.stdout,
      )
      expect(Number(cancelled?.[1])).toBeGreaterThan(0)
      expect(
        cancelled
          ?.slice(1, 4)
          .map(Number)
          .reduce((sum, count) => sum + count, 0),
      ).toBe(40)
      expect(run.stdout).not.toContain('still in flight')
      const perAddress = await invitationsPerAddress(stack.emulator)
      expect(good.filter((email) => perAddress.has(email.toLowerCase())).length).toBeLessThan(40)
    } finally {
      stack.emulator.context.faults.reset()
    }
  })

  it('stops waiting for the rows in flight on a second Ctrl-C, and still writes the results so far', async () => {
    // Graph's latency keeps the claimed rows in flight for 4 s: the second Ctrl-C comes long before they land.
    try {
      const { cli, csvPath } = await startSlowRun('cli-stop-waiting', 4000)
      // Ctrl-C once a row is in flight: Graph's budget, as the test before left the BFF's pacer, may hold them back.
      const { database } = stack.bff.entraShare
      const deadline = Date.now() + 15_000
      for (;;) {
        const [row] = await database.query<{ sending: number }>(
          "SELECT count(*)::int AS sending FROM bulk_rows WHERE status = 'sending' AND email LIKE 'cli-stop-waiting-%'",
        )
        if ((row?.sending ?? 0) > 0) break
        if (Date.now() > deadline) throw new Error('No row was sent to Graph within 15 s.')
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      cli.child.kill('SIGINT')
      await cli.waitForOutput(/Waiting for the \d+ rows already sent to Graph/)
      const stopped = Date.now()
      cli.child.kill('SIGINT')
      const run = await cli.done
      expect(run.code).toBe(130)
      expect(Date.now() - stopped).toBeLessThan(3000)
      const inFlight = /(\d+) rows were still in flight; the BFF finishes them/.exec(run.stdout)
      expect(Number(inFlight?.[1])).toBeGreaterThan(0)
      expect(run.stdout).toContain(`Results so far written to ${csvPath.replace(/\.csv$/, '.results.csv')}.`)
      expect(existsSync(csvPath.replace(/\.csv$/, '.results.csv'))).toBe(true)
    } finally {
      stack.emulator.context.faults.reset()
    }
  })

  it('answers bad flags with exit 2 and one sentence naming what to fix', async () => {
    const missingCsv = await runCli(['invite', '--bff', stack.bffUrl], { ENTRA_SHARE_TOKEN: token })
    expect(missingCsv.code).toBe(2)
    expect(missingCsv.stderr).toBe('entra-share: Pass the CSV file to invite from with --csv FILE.\n')

    const unknown = await runCli(['invite', '--csv', 'x.csv', '--bff', stack.bffUrl, '--force'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe(
      'entra-share: Unknown option --force; run entra-share --help for the options.\n',
    )

    const noSignIn = await runCli(['invite', '--csv', 'x.csv', '--bff', stack.bffUrl])
    expect(noSignIn.code).toBe(2)
    expect(noSignIn.stderr).toMatch(/^entra-share: Pass the CLI app registration with --client-id ID .+\.\n$/)

    const missingFile = await runCli(
      ['invite', '--csv', join(stack.dir, 'nope.csv'), '--bff', stack.bffUrl],
      {
        ENTRA_SHARE_TOKEN: token,
      },
    )
    expect(missingFile.code).toBe(2)
    expect(missingFile.stderr).toBe(
      `entra-share: Cannot read ${join(stack.dir, 'nope.csv')}: there is no such file; check --csv.\n`,
    )
    expect(existsSync(join(stack.dir, 'nope.results.csv'))).toBe(false)

    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('entra-share invite --csv FILE --bff URL [options]')
  })

  it('shows the BFF problem’s detail and code in one sentence: a broken file, a refused token, no BFF', async () => {
    const notTemplate = writeCsv(stack, 'not-template.csv', 'name,email\nAda,ada@fabrikam.example\n')
    const broken = await runCli(['invite', '--csv', notTemplate, '--bff', stack.bffUrl], {
      ENTRA_SHARE_TOKEN: token,
    })
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(
      /^entra-share: Uploading the file failed: .*\[inviteeEmail\].* \(invalid_request, HTTP 400\)\.\n$/,
    )

    const csvPath = writeCsv(stack, 'one.csv', portalCsv(addresses(1, 'cli-refused')))
    const refused = await runCli(['invite', '--csv', csvPath, '--bff', stack.bffUrl], {
      ENTRA_SHARE_TOKEN: 'not-a-jwt',
    })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^entra-share: Uploading the file failed: .+ \(\w+, HTTP 401\)\.\n$/)

    const port = await closedPort()
    const nobody = await runCli(['invite', '--csv', csvPath, '--bff', `http://127.0.0.1:${port}`], {
      ENTRA_SHARE_TOKEN: token,
    })
    expect(nobody.code).toBe(1)
    expect(nobody.stderr).toMatch(
      new RegExp(
        `the BFF at http://127\\.0\\.0\\.1:${port}/ could not be reached \\(ECONNREFUSED\\); check --bff`,
      ),
    )
  })
})

/** A loopback port nobody listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
