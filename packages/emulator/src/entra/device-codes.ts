import { randomBytes, randomInt } from 'node:crypto'
import type { EmulatorContext } from '../context.js'

/** Where a device code stands: waiting for the person, approved or declined by them, or spent on tokens. */
export type DeviceCodeStatus = 'pending' | 'approved' | 'declined' | 'redeemed'

/** One device authorization request (RFC 8628): the code the device polls with and the code a person types. */
export interface DeviceCodeGrant {
  deviceCode: string
  /** What the person types on the verification page, e.g. `FRWQDE7YL`. */
  userCode: string
  /**
   * The tenant the tokens will be issued in: the one the request named, or (at `/organizations` and `/common`) the
   * first tenant listing the app until a member of one of `tenantIds` approves, then that person's home tenant.
   */
  tenantId: string
  /** The tenants whose members may approve the code. */
  tenantIds: string[]
  clientId: string
  /** The `scope` the device asked for (the token request may narrow it to one resource). */
  scope: string
  status: DeviceCodeStatus
  /** The approving user, once approved. */
  userId: string | null
  mfa: boolean
  /** The approving sign-in (`sid` of the id_token). */
  sessionId: string | null
  expiresAtMs: number
}

/** Entra's device codes live 15 minutes and ask to be polled every 5 seconds. */
export const DEVICE_CODE_LIFETIME_SECONDS = 15 * 60
export const DEVICE_CODE_POLL_INTERVAL_SECONDS = 5

// Entra's user codes are nine upper-case letters and digits; these leave out look-alikes (0/O, 1/I/L).
const USER_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
const USER_CODE_LENGTH = 9
// Expired codes are kept a while so polling devices get `expired_token`, not `bad_verification_code`.
const KEEP_EXPIRED_MS = 60 * 60 * 1000

/** The device codes of one running emulator, in memory like the rest of its state. */
export class DeviceCodeStore {
  private readonly byDevice = new Map<string, DeviceCodeGrant>()
  private readonly byUser = new Map<string, DeviceCodeGrant>()

  constructor(private readonly clock: () => number) {}

  issue(request: {
    tenantId: string
    tenantIds: string[]
    clientId: string
    scope: string
  }): DeviceCodeGrant {
    this.prune()
    let userCode = newUserCode()
    while (this.byUser.has(userCode)) userCode = newUserCode()
    const grant: DeviceCodeGrant = {
      ...request,
      deviceCode: `DAQABIQEAAAD${randomBytes(96).toString('base64url')}`,
      userCode,
      status: 'pending',
      userId: null,
      mfa: false,
      sessionId: null,
      expiresAtMs: this.clock() + DEVICE_CODE_LIFETIME_SECONDS * 1000,
    }
    this.byDevice.set(grant.deviceCode, grant)
    this.byUser.set(userCode, grant)
    return grant
  }

  byDeviceCode(deviceCode: string): DeviceCodeGrant | undefined {
    return this.byDevice.get(deviceCode)
  }

  /** The grant a typed user code names; spaces, dashes and letter case do not matter, as on Microsoft's page. */
  byUserCode(typed: string): DeviceCodeGrant | undefined {
    return this.byUser.get(normalizeUserCode(typed))
  }

  isExpired(grant: DeviceCodeGrant): boolean {
    return grant.expiresAtMs <= this.clock()
  }

  list(): DeviceCodeGrant[] {
    return [...this.byDevice.values()]
  }

  clear(): void {
    this.byDevice.clear()
    this.byUser.clear()
  }

  private prune(): void {
    const horizon = this.clock() - KEEP_EXPIRED_MS
    for (const grant of this.byDevice.values()) {
      if (grant.expiresAtMs > horizon) continue
      this.byDevice.delete(grant.deviceCode)
      this.byUser.delete(grant.userCode)
    }
  }
}

const stores = new WeakMap<EmulatorContext, DeviceCodeStore>()

/** The device-code store of a running emulator (made on first use, so the emulator's context needs no new field). */
export function deviceCodesOf(context: EmulatorContext): DeviceCodeStore {
  let store = stores.get(context)
  if (!store) {
    store = new DeviceCodeStore(context.clock)
    stores.set(context, store)
  }
  return store
}

export function normalizeUserCode(typed: string): string {
  return typed.replace(/[\s-]/g, '').toUpperCase()
}

function newUserCode(): string {
  let code = ''
  for (let index = 0; index < USER_CODE_LENGTH; index++) {
    code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]
  }
  return code
}
