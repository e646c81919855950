import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { PageConfig } from './page.js'

/** The test page served over http://127.0.0.1 (a loopback redirect URI the seed's SPA accepts on any port). */
export interface PageServer {
  origin: string
  close(): Promise<void>
}

/** Listens on a free port first: the BFF's CORS and redirect allowlists need the page's origin. */
export async function listenPageServer(): Promise<{
  origin: string
  serve(config: PageConfig): Promise<PageServer>
}> {
  const files = new Map<string, { type: string; body: string }>()
  const server: Server = createServer((request, response) => {
    const file = files.get(new URL(request.url ?? '/', 'http://127.0.0.1').pathname)
    response.writeHead(file ? 200 : 404, {
      'content-type': file?.type ?? 'text/plain',
      'cache-control': 'no-store',
    })
    response.end(file?.body ?? 'not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // Bundled while the emulator and the BFF start.
  const bundling = build({
    entryPoints: [fileURLToPath(new URL('./page.tsx', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  return {
    origin,
    async serve(config) {
      const bundle = await bundling
      files.set('/', {
        type: 'text/html; charset=utf-8',
        body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>entra-share test page</title><script src="/config.js"></script><script type="module" src="/page.js"></script></head><body><div id="root"></div></body></html>',
      })
      files.set('/config.js', {
        type: 'text/javascript',
        body: `window.pageConfig = ${JSON.stringify(config)};`,
      })
      files.set('/page.js', { type: 'text/javascript', body: bundle.outputFiles[0]?.text ?? '' })
      return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) }
    },
  }
}
