#!/usr/bin/env node
// `pnpm dev`: the whole local stack in one process — the Entra ID + Graph emulator (https, local CA), the BFF on its
// embedded database, and the demo app (Vite) — with nothing to configure. With ENTRA_SHARE_TENANT_ID set, it runs
// the BFF and the demo against that real tenant instead (see the README) and starts no emulator.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, loadConfig, startServer } from '@entra-share/bff'
import { configForEmulator } from '@entra-share/bff/testing'
import { defaultDataDir, defaultSeedIds, loadOrCreateTls, startEmulator } from '@entra-share/emulator'
import { createServer } from 'vite'

const demoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const repoDir = resolve(demoDir, '../..')
const env = process.env
const realTenant = Boolean(env.ENTRA_SHARE_TENANT_ID)
const ports = {
  emulator: port('ENTRA_SHARE_EMULATOR_PORT', 8443),
  bff: port('ENTRA_SHARE_BFF_PORT', 3001),
  demo: port('ENTRA_SHARE_DEMO_PORT', 5173),
}
const demoUrl = `http://localhost:${ports.demo}/`
const demoOrigins = [`http://localhost:${ports.demo}`, `http://127.0.0.1:${ports.demo}`]
// The BFF posts its guest events to the demo's dev server (server/project-members.ts, WEBHOOK_PATH), which keeps the
// project members table from them. Plain http is allowed on localhost; the secret is new on every run.
const webhook = {
  url: `http://localhost:${ports.demo}/api/entra-share-events`,
  secret: `whsec_${randomBytes(32).toString('base64')}`,
}
// Guests who have not redeemed yet are checked this often (each at most hourly) and their redemption announced.
const ACCEPTANCE_CHECK_SECONDS = 2

// Node reads NODE_EXTRA_CA_CERTS only at start-up: make the emulator's CA, then run this script again trusting it,
// exactly as a deployed BFF trusts Microsoft's certificates.
if (!realTenant) {
  const emulatorData = env.ENTRA_SHARE_EMULATOR_DATA ?? defaultDataDir()
  const { caPath } = loadOrCreateTls(emulatorData)
  if (env.NODE_EXTRA_CA_CERTS !== caPath) {
    const child = spawn(process.execPath, process.argv.slice(1), {
      stdio: 'inherit',
      env: { ...env, NODE_EXTRA_CA_CERTS: caPath, ENTRA_SHARE_EMULATOR_DATA: emulatorData },
    })
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)))
    await new Promise(() => {})
  }
}

const closers = []
try {
  await main()
} catch (error) {
  console.error(`\n${error instanceof ConfigError ? error.message : (error?.stack ?? error)}\n`)
  await stop(1)
}

async function main() {
  let emulator
  let bffConfig
  if (realTenant) {
    bffConfig = loadConfig({
      ENTRA_SHARE_CORS_ORIGINS: demoOrigins.join(','),
      ENTRA_SHARE_REDIRECT_ORIGINS: demoOrigins.join(','),
      ENTRA_SHARE_DEFAULT_REDIRECT_URL: demoUrl,
      ENTRA_SHARE_PRESETS_FILE: join(demoDir, 'presets.json'),
      ENTRA_SHARE_DATA_DIR: join(repoDir, '.data/bff'),
      ENTRA_SHARE_WEBHOOK_URL: webhook.url,
      ENTRA_SHARE_WEBHOOK_SECRET: webhook.secret,
      ENTRA_SHARE_ACCEPTANCE_CHECK_SECONDS: String(ACCEPTANCE_CHECK_SECONDS),
      // The BFF accepts tokens of listed client apps only: the demo's SPA is the one that calls it here.
      ...(env.VITE_ENTRA_SHARE_SPA_CLIENT_ID
        ? { ENTRA_SHARE_ALLOWED_CLIENT_IDS: env.VITE_ENTRA_SHARE_SPA_CLIENT_ID }
        : {}),
      ...env,
    })
  } else {
    emulator = await listenOrExplain('emulator', ports.emulator, () =>
      startEmulator({ port: ports.emulator, dataDir: env.ENTRA_SHARE_EMULATOR_DATA }),
    )
    closers.push(() => emulator.close())
    const dataDir = env.ENTRA_SHARE_DATA_DIR ?? join(repoDir, '.data/bff')
    mkdirSync(dataDir, { recursive: true })
    bffConfig = configForEmulator(emulator, {
      corsOrigins: demoOrigins,
      redirectOrigins: demoOrigins,
      defaultRedirectUrl: demoUrl,
      presets: JSON.parse(readFileSync(join(demoDir, 'presets.json'), 'utf8')),
      dataDir,
      webhook,
      acceptanceCheckIntervalSeconds: ACCEPTANCE_CHECK_SECONDS,
    })
  }

  const bff = await listenOrExplain('BFF', ports.bff, () =>
    startServer({
      config: bffConfig,
      port: ports.bff,
      host: '127.0.0.1',
      logLevel: env.LOG_LEVEL ?? 'warn',
      handleSignals: false,
    }),
  )
  closers.unshift(() => bff.close())
  const bffUrl = `http://127.0.0.1:${ports.bff}`

  Object.assign(env, {
    // For the dev server's webhook receiver (server/project-members.ts): never VITE_-prefixed, so never in the page.
    // With another webhook of your own configured (ENTRA_SHARE_WEBHOOK_URL), the demo's table receives nothing.
    ENTRA_SHARE_DEMO_WEBHOOK_SECRET: bffConfig.webhook?.url === webhook.url ? bffConfig.webhook.secret : '',
    ENTRA_SHARE_DEMO_DATA_DIR: env.ENTRA_SHARE_DEMO_DATA_DIR ?? join(repoDir, '.data/demo'),
    VITE_ENTRA_SHARE_BFF_URL: env.VITE_ENTRA_SHARE_BFF_URL ?? bffUrl,
    // The demo shows its bulk-invite section to holders of the BFF's admin role.
    VITE_ENTRA_SHARE_ADMIN_ROLE: env.VITE_ENTRA_SHARE_ADMIN_ROLE ?? bffConfig.adminRole,
    ...(emulator
      ? {
          VITE_ENTRA_SHARE_SPA_CLIENT_ID: emulator.settings.spaClientId,
          VITE_ENTRA_SHARE_AUTHORITY: emulator.settings.authority,
          VITE_ENTRA_SHARE_KNOWN_AUTHORITIES: emulator.settings.knownAuthorities.join(','),
          VITE_ENTRA_SHARE_AUTHORITY_METADATA: emulator.settings.authorityMetadata,
          VITE_ENTRA_SHARE_BFF_SCOPE: emulator.settings.bffScope,
        }
      : {}),
  })
  const vite = await createServer({
    root: demoDir,
    configFile: join(demoDir, 'vite.config.ts'),
    logLevel: 'warn',
    server: { port: ports.demo, strictPort: true, host: 'localhost' },
  })
  await listenOrExplain('demo', ports.demo, () => vite.listen())
  closers.unshift(() => vite.close())

  console.log(banner(emulator))
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0))
}

function banner(emulator) {
  const lines = ['', `  entra-share demo: ${demoUrl}`, '']
  if (emulator) {
    lines.push(
      '  Sign in with a seeded user (no password):',
      `    ${defaultSeedIds.inviter.upn.padEnd(26)} Megan Bowen — may invite guests`,
      `    ${defaultSeedIds.admin.upn.padEnd(26)} Adele Vance — administrator: every invitation, bulk invitations`,
      `    ${defaultSeedIds.nonInviter.upn.padEnd(26)} Lee Gu — may not invite guests`,
      `    ${defaultSeedIds.mfaUser.upn.padEnd(26)} Nestor Wilke — sign-in asks for MFA`,
      '',
      `  The local Entra ID uses a certificate from ${emulator.caPath}:`,
      '  the first sign-in shows a certificate warning; accept it once (or import that CA into your browser).',
      `  Emulator ${emulator.url} · BFF http://127.0.0.1:${ports.bff} (API docs /docs) · Ctrl-C stops everything.`,
    )
  } else {
    lines.push(
      `  Real tenant ${env.ENTRA_SHARE_TENANT_ID} · BFF http://127.0.0.1:${ports.bff} · Ctrl-C stops everything.`,
    )
  }
  return `${lines.join('\n')}\n`
}

async function listenOrExplain(what, portNumber, start) {
  try {
    return await start()
  } catch (error) {
    if (error?.code === 'EADDRINUSE' || /already in use|EADDRINUSE/.test(String(error?.message)))
      throw new Error(
        `Port ${portNumber} for the ${what} is in use (is another \`pnpm dev\` running?). Stop it, or pick other ports with ENTRA_SHARE_EMULATOR_PORT, ENTRA_SHARE_BFF_PORT and ENTRA_SHARE_DEMO_PORT.`,
      )
    throw error
  }
}

function port(name, fallback) {
  const value = Number(env[name] ?? fallback)
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    console.error(`${name} must be a port number (got ${env[name]}).`)
    process.exit(2)
  }
  return value
}

let stopping = false
async function stop(code) {
  if (stopping) return
  stopping = true
  for (const close of closers) await close().catch(() => undefined)
  process.exit(code)
}
