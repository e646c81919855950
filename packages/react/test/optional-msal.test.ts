// @vitest-environment node

import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

/**
 * Issue 17: MSAL is an optional peer, so only `@entra-share/react/msal` may import it. Each entry is bundled from
 * its sources with every package left external, and the packages it imports are read from the metafile.
 */
async function packagesImportedBy(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../src/${entry}`, import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    jsx: 'automatic',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  })
  const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports)
  return [...new Set(imports.filter((entry) => entry.external).map((entry) => entry.path))].sort()
}

describe('MSAL is an optional peer dependency', () => {
  it.each(['index.ts', 'BulkInvite/index.ts', 'class-names.ts'])(
    'src/%s imports no @azure/msal-*',
    async (entry) => {
      const imported = await packagesImportedBy(entry)
      expect(imported.filter((name) => name.startsWith('@azure/msal-'))).toEqual([])
    },
  )

  it('the msal entry is the one that imports msal-react and msal-browser', async () => {
    expect(await packagesImportedBy('msal/index.ts')).toEqual(
      expect.arrayContaining(['@azure/msal-browser', '@azure/msal-react']),
    )
  })
})
