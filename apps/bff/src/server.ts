import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import type { BffConfig } from './config.js'
import { LOG_REDACT_PATHS, logSerializers } from './platform/log-redaction.js'

export interface ServerOptions {
  config: BffConfig
  /** @default 3001 */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  /** pino level. @default 'info' */
  logLevel?: string
  /** Where log lines go (tests read them). @default stdout */
  logStream?: NodeJS.WritableStream
  /** Close on SIGINT/SIGTERM and exit. A host that runs several servers in one process handles signals itself. @default true */
  handleSignals?: boolean
}

/**
 * Starts the BFF: builds the app with the redacting logger, listens, and closes gracefully on SIGINT/SIGTERM
 * (in-flight requests finish, the retrier stops, the database closes).
 *
 * @example
 * const app = await startServer({ config: loadConfig(process.env), port: 3001 })
 */
export async function startServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = await buildApp(options.config, {
    logger: {
      level: options.logLevel ?? 'info',
      redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
      serializers: logSerializers,
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
  })
  if (options.handleSignals ?? true) {
    const closeListeners = closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
      if (err) app.log.error({ err }, 'closing after an error')
      else app.log.info({ signal }, 'closing')
      await app.close()
    })
    app.addHook('onClose', async () => closeListeners.uninstall())
  }
  await app.listen({ port: options.port ?? 3001, host: options.host ?? '127.0.0.1' })
  return app
}
