import { relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Options } from 'tsup'

/** The language packs, each an entry of its own (`@entra-share/react/locales/de`): the components bundle none. */
const localePacks = ['en', 'de', 'fr', 'ja', 'ar']
const localeEntries = Object.fromEntries(
  localePacks.map((tag) => [`locales/${tag}`, `src/locales/packs/${tag}.ts`]),
)

/**
 * The entries a React Server Component may import as they are: constants, language packs (plain data a server
 * component can hand to the provider) and test helpers, no hooks or context.
 */
const serverEntries = new Set([
  'class-names/index.js',
  'testing/index.js',
  ...localePacks.map((tag) => `locales/${tag}.js`),
])

/**
 * Starts every other JS entry (`index.js`, `bulk/index.js`, `msal/index.js`…) with the `"use client"` directive, so
 * a Next.js App Router server component can render `<ShareButton>` from the package. Not esbuild's `banner`: it
 * would mark the server entries and the shared chunks too. The directive takes a line of its own, so the source
 * map's lines move down by one (a leading `;` in `mappings`).
 */
const useClientDirective: NonNullable<Options['plugins']>[number] = {
  name: 'use-client-directive',
  renderChunk(code, { path, entryPoint, map }) {
    const output = relative(resolve(this.options.outDir), path).replaceAll('\\', '/')
    if (!entryPoint || !output.endsWith('.js') || serverEntries.has(output)) return
    const sourceMap = typeof map === 'string' ? JSON.parse(map) : map
    return {
      code: `"use client";\n${code}`,
      map: sourceMap ? { ...sourceMap, mappings: `;${sourceMap.mappings}` } : null,
    }
  },
}

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    // A separate entry: the single-invite bundle never carries the bulk component.
    'bulk/index': 'src/BulkInvite/index.ts',
    // A separate entry too: the guests and approvals list is a page of its own, not part of the share form.
    'guest-access/index': 'src/GuestAccess/index.ts',
    // The class-name constants: a lookup table no component bundle needs (their render functions inline the names).
    'class-names/index': 'src/class-names.ts',
    // The msal-react adapter of the token seam: the only entry that imports MSAL (an optional peer).
    'msal/index': 'src/msal/index.ts',
    ...localeEntries,
    styles: 'src/ShareWithExternalUser/ShareWithExternalUser.css',
    bulk: 'src/BulkInvite/BulkInvite.css',
    'guest-access': 'src/GuestAccess/GuestAccess.css',
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
      'guest-access/index': 'src/GuestAccess/index.ts',
      'class-names/index': 'src/class-names.ts',
      'msal/index': 'src/msal/index.ts',
      ...localeEntries,
    },
    compilerOptions: { ignoreDeprecations: '6.0' },
  },
  clean: true,
  sourcemap: true,
  plugins: [useClientDirective],
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
