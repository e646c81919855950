import type { NextConfig } from 'next'

const config: NextConfig = {
  // `pnpm typecheck` runs `tsc --noEmit`; the build does not check the types again.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
}

export default config
