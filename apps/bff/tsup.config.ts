import { defineConfig } from 'tsup'

export default defineConfig({
  // `testing`: development helpers (the emulator configuration), `@entra-share/bff/testing`.
  // `bulk-upload-worker`: the worker thread that reads bulk uploads, started from beside the module that needs it.
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    testing: 'src/testing/index.ts',
    'bulk-upload-worker': 'src/bulk/bulk-upload-worker.ts',
  },
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
