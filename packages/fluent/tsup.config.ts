import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  target: 'es2022',
  // tsup's declaration build sets `baseUrl`, which TypeScript 6 reports as deprecated.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  clean: true,
  sourcemap: true,
  minify: false,
  // One entry, no shared chunks: every line of it is a client component (hooks, context), so a Next.js App Router
  // server component may render `<FluentShareButton>` as it is. esbuild moves the source map by the banner's line.
  banner: { js: '"use client";' },
  // The peers: the host's React, Fluent UI and @entra-share/react (one instance, so its token and locale providers
  // reach these components).
  external: ['react', 'react-dom', 'react/jsx-runtime', /^@fluentui\//, /^@entra-share\/react(\/|$)/],
})
