import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { SignJWT } from 'jose'
import type { SigningKey } from '../crypto/signing-keys.js'

/** Where the emulator's test workload-identity issuer lives, under the emulator's base URL. */
export const WORKLOAD_IDENTITY_PATH = '/_emulator/workload-identity'
/** The audience Entra expects in federated tokens by default (`audiences` of a federated identity credential). */
export const AZURE_AD_TOKEN_EXCHANGE = 'api://AzureADTokenExchange'

const MAX_LIFETIME_SECONDS = 24 * 60 * 60
const DEFAULT_LIFETIME_SECONDS = 60 * 60

/** What `POST /_emulator/workload-identity/token` takes. */
export interface WorkloadTokenRequest {
  /** The workload's `sub`, e.g. `system:serviceaccount:ns:name` (Kubernetes' form). */
  subject: string
  /** @default `api://AzureADTokenExchange` */
  audience?: string
  /** Seconds until `exp`; negative mints a token that has already expired (for tests). @default 3600 */
  lifetimeSeconds?: number
}

/**
 * A local OpenID Connect issuer of workload tokens, standing in for a Kubernetes cluster's service-account issuer
 * (or GitHub Actions') in tests of workload identity federation. Not a Microsoft endpoint. Its tokens are RS256 JWTs
 * with `iss`, `sub`, `aud` (an array, as Kubernetes writes it), `iat`, `nbf`, `exp` and `jti`.
 *
 * @example
 * const token = await emulator.context.workloadIdentity.token({ subject: 'system:serviceaccount:apps:bff' })
 * writeFileSync(tokenFile, token) // ENTRA_SHARE_CLIENT_ASSERTION_FILE
 */
export class WorkloadIdentityIssuer {
  constructor(
    private readonly key: SigningKey,
    private readonly baseUrl: () => string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** `https://127.0.0.1:{port}/_emulator/workload-identity`: the `issuer` of a federated identity credential. */
  get issuer(): string {
    return `${this.baseUrl()}${WORKLOAD_IDENTITY_PATH}`
  }

  get jwksUri(): string {
    return `${this.issuer}/openid/v1/jwks`
  }

  /** The OIDC discovery document, shaped like a Kubernetes service-account issuer's. */
  discovery() {
    return {
      issuer: this.issuer,
      jwks_uri: this.jwksUri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    }
  }

  jwks() {
    const { kty, n, e, kid } = this.key.publicJwk
    return { keys: [{ kty, use: 'sig', alg: 'RS256', kid, n, e }] }
  }

  /** Mints a workload token; throws a `RangeError` naming the field that is not acceptable. */
  async token(request: WorkloadTokenRequest): Promise<string> {
    const {
      subject,
      audience = AZURE_AD_TOKEN_EXCHANGE,
      lifetimeSeconds = DEFAULT_LIFETIME_SECONDS,
    } = request
    if (typeof subject !== 'string' || subject.length === 0 || subject.length > 600) {
      throw new RangeError('subject: a string of 1 to 600 characters is required')
    }
    if (typeof audience !== 'string' || audience.length === 0 || audience.length > 600) {
      throw new RangeError('audience: must be a string of 1 to 600 characters')
    }
    if (
      !Number.isInteger(lifetimeSeconds) ||
      lifetimeSeconds === 0 ||
      Math.abs(lifetimeSeconds) > MAX_LIFETIME_SECONDS
    ) {
      throw new RangeError(
        `lifetimeSeconds: must be a non-zero integer between -${MAX_LIFETIME_SECONDS} and ${MAX_LIFETIME_SECONDS}`,
      )
    }
    const now = Math.floor(this.clock() / 1000)
    // An expired token was issued in the past, so that nbf < exp still holds.
    const issuedAt = lifetimeSeconds > 0 ? now : now + 2 * lifetimeSeconds
    return new SignJWT({ aud: [audience], jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', kid: this.key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(subject)
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(this.key.privateKey)
  }
}

/**
 * The issuer's routes (emulator controls, not Microsoft's):
 * - `GET /_emulator/workload-identity/.well-known/openid-configuration`
 * - `GET /_emulator/workload-identity/openid/v1/jwks`
 * - `POST /_emulator/workload-identity/token` `{ subject, audience?, lifetimeSeconds? }` → `{ token }`
 */
export async function workloadIdentityRoutes(app: FastifyInstance): Promise<void> {
  const issuer = () => app.emulator.workloadIdentity

  app.get(`${WORKLOAD_IDENTITY_PATH}/.well-known/openid-configuration`, async () => issuer().discovery())
  app.get(`${WORKLOAD_IDENTITY_PATH}/openid/v1/jwks`, async () => issuer().jwks())
  app.post(`${WORKLOAD_IDENTITY_PATH}/token`, async (request, reply) => {
    const body = request.body
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return reply
        .code(400)
        .send({ error: 'invalid_request', message: 'Send a JSON object: { "subject": "…" }' })
    }
    try {
      return { token: await issuer().token(body as WorkloadTokenRequest) }
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      return reply.code(400).send({ error: 'invalid_request', message: error.message })
    }
  })
}
