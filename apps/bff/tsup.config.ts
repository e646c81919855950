import { defineConfig } from 'tsup'

export default defineConfig({
  // `testing`: development helpers (the emulator configuration), `@entra-share/bff/testing`.
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', testing: 'src/testing/index.ts' },
  format: ['esm'],
  target: 'node20',
  // tsup's declaration build sets `baseUrl`, which TypeScript 6 reports as deprecated.
  dts: {
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
    compilerOptions: { ignoreDeprecations: '6.0' },
  },
  clean: true,
  sourcemap: true,
})
