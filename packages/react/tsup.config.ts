import { fileURLToPath } from 'node:url'
import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    // A separate entry: the single-invite bundle never carries the bulk component.
    'bulk/index': 'src/BulkInvite/index.ts',
    // The class-name constants: a lookup table no component bundle needs (their render functions inline the names).
    'class-names/index': 'src/class-names.ts',
    styles: 'src/ShareWithExternalUser/ShareWithExternalUser.css',
    bulk: 'src/BulkInvite/BulkInvite.css',
  },
  format: ['esm'],
  target: 'es2022',
  // tsup's declaration build sets `baseUrl`, which TypeScript 6 reports as deprecated.
  // Named as the JS entries, so each `types` path of package.json exists (`bulk/index.d.ts`, not BulkInvite/).
  dts: {
    entry: {
      index: 'src/index.ts',
      'testing/index': 'src/testing/index.ts',
      'bulk/index': 'src/BulkInvite/index.ts',
      'class-names/index': 'src/class-names.ts',
    },
    compilerOptions: { ignoreDeprecations: '6.0' },
  },
  clean: true,
  sourcemap: true,
  minify: false,
  external: ['react', 'react-dom', 'react/jsx-runtime', '@azure/msal-browser', '@azure/msal-react', 'msw'],
  // The contracts' single-file build keeps its TypeBox schemas (top-level calls a bundler must assume have side
  // effects). Bundling from its sources, whose package says `sideEffects: false`, drops schemas.ts and TypeBox and
  // keeps only the constants and the catalogue traits we use. The client is bundled from its sources too, so each
  // entry keeps only the calls it makes. Types still come from the @entra-share/* dependencies.
  noExternal: ['@entra-share/contracts', '@entra-share/client'],
  esbuildOptions(options) {
    options.alias = {
      '@entra-share/contracts': fileURLToPath(new URL('../contracts/src/index.ts', import.meta.url)),
      '@entra-share/client': fileURLToPath(new URL('../client/src/index.ts', import.meta.url)),
    }
    // The contracts share one chunk between the entries, so `problemCodes = Object.keys(problemTraits)` would keep
    // itself in bundles that never read it (only the testing entry does).
    options.pure = ['Object.keys']
  },
})
