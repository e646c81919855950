import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defaultSeedIds } from '@entra-share/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addresses,
  deviceCodeEnv,
  parseResults,
  portalCsv,
  type Stack,
  startCli,
  startStack,
  writeCsv,
} from './support.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.close())

describe('entra-share invite with the device code flow (issue 6)', () => {
  it('prints Entra’s message; once the code is approved it signs in, invites and exits 0', async () => {
    const csvPath = writeCsv(stack, 'device.csv', portalCsv(addresses(5, 'cli-device')))
    const cli = startCli(
      ['invite', '--csv', csvPath, '--bff', stack.bffUrl, '--poll-interval', '0.2'],
      deviceCodeEnv(stack.emulator),
    )

    const [message, userCode] = await cli.waitForOutput(
      /To sign in, use a web browser to open the page https:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code ([A-Z0-9]+) to authenticate\./,
    )
    expect(message).toBeTruthy()
    // The person would open the page; the emulator's control endpoint approves as Megan.
    const approval = await fetch(`${stack.emulator.url}/_emulator/device-codes/${userCode}/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'megan@contoso.example' }),
    })
    expect(approval.status).toBe(200)

    const run = await cli.done
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Done in .+: 5 of 5 rows invited, 0 failed\./)
    const [, ...records] = parseResults(readFileSync(join(stack.dir, 'device.results.csv'), 'utf8'))
    expect(records).toHaveLength(5)

    // The token came from the device code grant for the CLI's app, not from anywhere else.
    const requests = stack.emulator.context.directory.tokenRequests()
    expect(requests).toContainEqual(
      expect.objectContaining({ grantType: 'device_code', clientId: defaultSeedIds.cliClientId }),
    )
  })

  it('says so in one sentence and exits 1 when the person cancels on the device login page', async () => {
    const csvPath = writeCsv(stack, 'declined.csv', portalCsv(addresses(1, 'cli-declined')))
    // Without ENTRA_SHARE_AUTHORITY_METADATA: msal-node discovers the emulator's metadata over the network.
    const { ENTRA_SHARE_AUTHORITY_METADATA: _metadata, ...env } = deviceCodeEnv(stack.emulator)
    const cli = startCli(['invite', '--csv', csvPath, '--bff', stack.bffUrl], env)
    const [, userCode] = await cli.waitForOutput(/enter the code ([A-Z0-9]+) to authenticate/)
    await fetch(`${stack.emulator.url}/_emulator/device-codes/${userCode}/decline`, { method: 'POST' })
    const run = await cli.done
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      'entra-share: The sign-in was declined on the device login page; run the command again and choose Continue.\n',
    )
  })
})
