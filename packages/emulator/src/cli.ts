#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { validateFaultConfig } from './faults/engine.js'
import { type EmulatorTenantSettings, type RunningEmulator, startEmulator } from './start-emulator.js'

const USAGE = `Usage: entra-share-emulator [options]

Runs a local Entra ID + Microsoft Graph emulator on https://127.0.0.1.

Options:
  --port <n>         port on 127.0.0.1 (default 8443, or $ENTRA_SHARE_EMULATOR_PORT; 0 picks a free one)
  --seed <file>      seed JSON (default: the built-in Contoso seed)
  --faults <json|file>  faults active from the start, e.g. '{"throttle":[{"percent":20}]}';
                     Graph-like latency: '{"latency":[{"requests":"writes","ms":150,"jitterMs":50}]}'
  --data-dir <dir>   where the local CA and signing key live (default ~/.entra-share/emulator)
  --log              log every request
  -h, --help         show this help`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
      'data-dir': { type: 'string' },
      log: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const portText = values.port ?? process.env.ENTRA_SHARE_EMULATOR_PORT ?? '8443'
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port: "${portText}" is not a port number (0–65535)`)
  }
  const emulator = await startEmulator({
    port,
    ...(values.seed ? { seed: values.seed } : {}),
    ...(values.faults ? { faults: readFaults(values.faults) } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    logger: values.log,
  })
  console.log(describe(emulator))
  const stop = async () => {
    await emulator.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

function readFaults(option: string): object {
  const text = option.trim().startsWith('{') ? option : readFileSync(option, 'utf8')
  let faults: unknown
  try {
    faults = JSON.parse(text)
  } catch (error) {
    throw new Error(`--faults: not valid JSON (${(error as Error).message})`)
  }
  validateFaultConfig(faults)
  return faults
}

/** The banner: where it runs, how to trust it, and settings ready to paste. */
export function describe(emulator: RunningEmulator): string {
  const lines = [
    `entra-share emulator ready at ${emulator.url}`,
    '',
    `Local CA certificate: ${emulator.caPath}`,
    `  Node clients: export NODE_EXTRA_CA_CERTS=${emulator.caPath}`,
    '  Browsers: import it as a trusted authority, or accept the certificate once.',
  ]
  for (const tenant of emulator.context.directory.tenants.values()) {
    lines.push(
      '',
      `Tenant ${tenant.displayName} (${tenant.id})`,
      ...tenantBlock(emulator.settingsFor(tenant.id)),
    )
    lines.push('  Users (sign in by clicking, or pass login_hint):')
    for (const user of tenant.users.values()) {
      if (user.userType !== 'Member') continue
      const notes = [...user.directoryRoles, ...user.appRoles, ...(user.requiresMfa ? ['MFA required'] : [])]
      lines.push(
        `    ${user.userPrincipalName.padEnd(28)} ${user.displayName}${notes.length ? ` (${notes.join(', ')})` : ''}`,
      )
    }
  }
  lines.push(
    '',
    'Emulator controls:',
    `  GET ${emulator.url}/_emulator/state    PUT ${emulator.url}/_emulator/faults    POST ${emulator.url}/_emulator/reset`,
    `  Workload identity issuer (test tokens for federated credentials): ${emulator.settings.workloadIdentityIssuer}`,
    `    POST ${emulator.settings.workloadIdentityIssuer}/token  {"subject":"system:serviceaccount:ns:name"}`,
    '',
    'Press Ctrl-C to stop.',
  )
  return lines.join('\n')
}

function tenantBlock(settings: EmulatorTenantSettings): string[] {
  const msal = {
    auth: {
      clientId: settings.spaClientId ?? '<client id>',
      authority: settings.authority,
      knownAuthorities: settings.knownAuthorities,
      authorityMetadata: settings.authorityMetadata,
    },
  }
  const lines = ['  MSAL configuration (msal-browser / msal-node):', `    ${JSON.stringify(msal)}`]
  if (settings.bffClientId) {
    lines.push(
      '  Confidential client (the BFF):',
      `    client id ${settings.bffClientId}, secret ${settings.bffClientSecret}`,
      `    API scope ${settings.bffScope}`,
    )
  }
  lines.push(
    `  Issuer ${settings.issuer}`,
    `  JWKS ${settings.jwksUri}`,
    `  Graph base URL ${settings.graphBaseUrl} (Graph SDK: customHosts ["127.0.0.1"])`,
  )
  return lines
}

main().catch((error: unknown) => {
  const { code, port, message } = error as NodeJS.ErrnoException & { port?: number }
  const hint =
    code === 'EADDRINUSE'
      ? `port ${port} is already in use (another emulator?); stop it, or pass --port 0 to pick a free port`
      : message
  console.error(`entra-share-emulator: ${hint}`)
  process.exit(1)
})
