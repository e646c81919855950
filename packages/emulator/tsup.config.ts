import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm'],
  target: 'node20',
  // tsup's declaration build sets `baseUrl`, which TypeScript 6 reports as deprecated.
  dts: {
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    compilerOptions: { ignoreDeprecations: '6.0' },
  },
  clean: true,
  sourcemap: true,
})
