import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const children: ChildProcess[] = []

function run(args: string[]) {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ENTRA_SHARE_EMULATOR_PORT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  return {
    child,
    output: () => output,
    waitFor: async (text: string) => {
      for (let i = 0; i < 200 && !output.includes(text); i++) await new Promise((r) => setTimeout(r, 50))
      return output
    },
  }
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
})

// Runs the built binary (turbo builds the package before its tests), as a user would.
describe('entra-share-emulator CLI', () => {
  it('prints the CA path, MSAL settings and users, answers, and stops cleanly on SIGTERM', async () => {
    const cliRun = run(['--port', '0', '--data-dir', process.env.ENTRA_SHARE_EMULATOR_DATA as string])
    const banner = await cliRun.waitFor('Press Ctrl-C to stop.')
    const url = /ready at (https:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1]
    expect(url).toBeDefined()
    expect(banner).toContain(`Local CA certificate: ${process.env.ENTRA_SHARE_EMULATOR_DATA}/ca.pem`)
    expect(banner).toContain('"knownAuthorities":["127.0.0.1:')
    expect(banner).toContain('megan@contoso.example')
    expect(banner).toContain(
      `Workload identity issuer (test tokens for federated credentials): ${url}/_emulator/workload-identity`,
    )
    expect((await fetch(`${url}/_emulator/state`)).status).toBe(200)

    cliRun.child.kill('SIGTERM')
    const [code] = await once(cliRun.child, 'exit')
    expect(code).toBe(0)
  })

  it('rejects bad options with a message naming them', async () => {
    const badPort = run(['--port', 'eighty'])
    const [portCode] = await once(badPort.child, 'exit')
    expect(portCode).toBe(1)
    expect(badPort.output()).toContain('--port: "eighty" is not a port number')

    const badFaults = run(['--port', '0', '--faults', '{"throttle":{}}'])
    const [faultsCode] = await once(badFaults.child, 'exit')
    expect(faultsCode).toBe(1)
    expect(badFaults.output()).toContain('faults.throttle: expected an array of rules')

    const badLatency = run(['--port', '0', '--faults', '{"latency":[{"requests":"writes","ms":-150}]}'])
    const [latencyCode] = await once(badLatency.child, 'exit')
    expect(latencyCode).toBe(1)
    expect(badLatency.output()).toContain(
      'faults.latency[0].ms: expected a number of milliseconds, 0 or more',
    )
  })
})
