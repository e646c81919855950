/**
 * The emulator in a process of its own (`emulator-main.ts`, forked), so that neither the BFF nor the load generator
 * shares its event loop, and what it saw is asked over IPC.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { RunningEmulator } from '@entra-share/emulator'
import type { EmulatorStats } from './emulator-main.js'
import { cpuMs } from './proc-stats.js'

export type { EmulatorStats } from './emulator-main.js'

/** The OAuth grant type of On-Behalf-Of token requests. */
export const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

export interface EmulatorProcess {
  /** The emulator as the sign-in helpers and clients see it: its URL and settings (no in-process state). */
  remote: RunningEmulator
  pid: number | undefined
  /** CPU the process has used so far (utime + stime), ms. */
  cpuMs(): number
  /** What Graph saw of the addresses starting with `prefix` (see `EmulatorStats`). */
  stats(prefix: string): Promise<EmulatorStats>
  /** Token endpoint requests of `grantType` answered since the emulator started. */
  tokenRequests(grantType: string): Promise<number>
  /** Disconnects; the emulator closes and exits. */
  close(): void
}

/**
 * Forks the emulator with `faults` (its fault configuration) and waits for its settings. `groupId` is the group
 * whose members `stats` counts.
 */
export async function startEmulatorProcess(faults: object = {}, groupId = ''): Promise<EmulatorProcess> {
  const child = fork(fileURLToPath(new URL('./emulator-main.ts', import.meta.url)), [
    JSON.stringify(faults),
    groupId,
  ])
  const next = <K extends 'ready' | 'stats' | 'tokenRequests'>(key: K) =>
    new Promise<unknown>((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (!(key in message)) return
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(message[key])
      }
      const onExit = (code: number | null) => reject(new Error(`The emulator process exited (${code}).`))
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  // One question at a time: answers carry no id.
  let queue: Promise<unknown> = Promise.resolve()
  const ask = <T>(key: 'stats' | 'tokenRequests', value: string): Promise<T> => {
    const answer = queue.then(() => {
      const reply = next(key)
      child.send({ [key]: value })
      return reply
    })
    queue = answer.catch(() => undefined)
    return answer as Promise<T>
  }
  const remote = (await next('ready')) as RunningEmulator
  return {
    remote,
    pid: child.pid,
    cpuMs: () => cpuMs(child.pid),
    stats: (prefix) => ask<EmulatorStats>('stats', prefix),
    tokenRequests: (grantType) => ask<number>('tokenRequests', grantType),
    close: () => child.disconnect(),
  }
}
