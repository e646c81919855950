import type { ClientConfig } from '@entra-share/contracts'
import { useEffect, useRef, useState } from 'react'
import { useAccessToken } from '../access-token.js'
import { type UseInviteExternalUserOptions, useBffClient } from '../useInviteExternalUser.js'

/** Options of {@link useClientConfig}. */
export type UseClientConfigOptions = UseInviteExternalUserOptions & {
  /** Called with the configuration each time it arrives, in the same render as the hook returns it. */
  onLoaded?: ((config: ClientConfig) => void) | undefined
}

/**
 * The BFF's client configuration (`GET /api/config`: group presets, email mode, message limits and link policy),
 * fetched once per client with a token asked for with `interactive: false`. `null` until it arrives, and for good
 * when no token comes that way or the call fails: the configuration only adds options, so it never interrupts the
 * user.
 *
 * @example
 * const config = useClientConfig({
 *   bffUrl: 'https://lob.contoso.com',
 *   scopes: ['api://<BFF client id>/Invitations.Send'],
 * })
 * const presets = config?.presets ?? []
 */
export function useClientConfig(options: UseClientConfigOptions): ClientConfig | null {
  const client = useBffClient(options)
  const acquireToken = useAccessToken(options.scopes, options.getAccessToken)
  const [config, setConfig] = useState<ClientConfig | null>(null)
  // The latest callback, so a new function each render does not fetch again.
  const onLoaded = useRef(options.onLoaded)
  onLoaded.current = options.onLoaded

  useEffect(() => {
    let current = true
    acquireToken({ interactive: false })
      .then((token) => (token === null ? null : client.getConfig({ accessToken: token })))
      .then((loaded) => {
        if (!current || !loaded) return
        setConfig(loaded)
        onLoaded.current?.(loaded)
      })
      .catch(() => undefined)
    return () => {
      current = false
    }
  }, [client, acquireToken])

  return config
}
