import type { FastifyInstance } from 'fastify'
import { validateFaultConfig } from '../faults/engine.js'

/**
 * `/_emulator/*`: the test and tooling surface (not part of Microsoft's API).
 * - `GET /_emulator/state`: users, groups with their members, invitations, outbox, token-endpoint counts, faults in
 *   force and how many of each were injected
 * - `POST /_emulator/reset`: back to the seed, faults cleared
 * - `GET|PUT /_emulator/faults`: read or replace the fault configuration
 * - `GET /_emulator/outbox`: the invitation emails Microsoft would have sent
 */
export async function controlRoutes(app: FastifyInstance): Promise<void> {
  const { directory, faults } = app.emulator

  app.get('/_emulator/state', async () => ({
    ...directory.snapshot(),
    faults: faults.get(),
    injectedFaults: faults.injected,
  }))

  app.get('/_emulator/outbox', async () => directory.outbox)

  app.post('/_emulator/reset', async (_request, reply) => {
    directory.reset()
    faults.reset()
    return reply.code(204).send()
  })

  app.get('/_emulator/faults', async () => ({ faults: faults.get(), injected: faults.injected }))

  app.put('/_emulator/faults', async (request, reply) => {
    try {
      validateFaultConfig(request.body)
    } catch (error) {
      return reply.code(400).send({ error: 'invalid_faults', message: (error as Error).message })
    }
    faults.set(request.body)
    return { faults: faults.get() }
  })
}
