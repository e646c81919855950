import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'

/** The test page served over http://127.0.0.1 (a loopback redirect URI the seed's SPA accepts on any port). */
export interface PageServer {
  origin: string
  close(): Promise<void>
}

/** Options of {@link listenPageServer}. */
export interface PageServerOptions {
  /** The page's module, next to this file. @default 'page.tsx' (the MSAL host) */
  entry?: string
  /** Fail the page's build when it imports one of these packages (a host that does not have them installed). */
  refusePackages?: RegExp
  /** Answers of the page's own server (a host backend), by path; the rest is the page's static files. */
  routes?: Record<string, (request: IncomingMessage, response: ServerResponse) => Promise<void>>
}

/** Refuses imports of the packages `filter` matches, as a bundler would without them installed. */
function refuse(filter: RegExp): Plugin {
  return {
    name: 'refuse-packages',
    setup(build) {
      build.onResolve({ filter }, (args) => ({
        errors: [{ text: `${args.path} is not installed in this host (imported by ${args.importer})` }],
      }))
    },
  }
}

/** Listens on a free port first: the BFF's CORS and redirect allowlists need the page's origin. */
export async function listenPageServer(options: PageServerOptions = {}): Promise<{
  origin: string
  serve(config: object): Promise<PageServer>
}> {
  const files = new Map<string, { type: string; body: string }>()
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    const route = options.routes?.[path]
    if (route) {
      route(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' })
        response.end(String(error))
      })
      return
    }
    const file = files.get(path)
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
    entryPoints: [fileURLToPath(new URL(`./${options.entry ?? 'page.tsx'}`, import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    plugins: options.refusePackages ? [refuse(options.refusePackages)] : [],
  })
  // Awaited by `serve`, which reports a failed build; this only keeps it from counting as unhandled meanwhile.
  bundling.catch(() => undefined)
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
