import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/** The test SPA served over http://127.0.0.1 (a loopback redirect URI of the seed's SPA, on any port). */
export interface SpaServer {
  origin: string
  close(): Promise<void>
}

/** Bundles `spa.ts` with msal-browser and serves it with the given MSAL settings. */
export async function startSpaServer(config: Record<string, unknown>): Promise<SpaServer> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./spa.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  })
  const script = bundle.outputFiles[0]?.text ?? ''
  const files: Record<string, { type: string; body: string }> = {
    '/': {
      type: 'text/html; charset=utf-8',
      body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test SPA</title><script src="/config.js"></script><script type="module" src="/spa.js"></script></head><body><main>Test SPA</main></body></html>',
    },
    '/config.js': { type: 'text/javascript', body: `window.spaConfig = ${JSON.stringify(config)};` },
    '/spa.js': { type: 'text/javascript', body: script },
  }
  const server: Server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://127.0.0.1').pathname]
    response.writeHead(file ? 200 : 404, {
      'content-type': file?.type ?? 'text/plain',
      'cache-control': 'no-store',
    })
    response.end(file?.body ?? 'not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
