// @vitest-environment node

import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

/**
 * The built entries a React Server Component (Next.js App Router) imports: the component entries must start with
 * the `"use client"` directive (tsup.config.ts adds it), the server-safe ones must not.
 */
const dist = new URL('../dist/', import.meta.url)
const serverEntries = [
  'class-names/index.js',
  'testing/index.js',
  ...['en', 'de', 'fr', 'ja', 'ar'].map((tag) => `locales/${tag}.js`),
]
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, string | { import?: string }>
}
const jsEntries = Object.values(pkg.exports)
  .map((target) => (typeof target === 'string' ? target : target.import))
  .filter((path): path is string => path?.endsWith('.js') === true)
  .map((path) => path.replace(/^\.\/dist\//, ''))
const clientEntries = jsEntries.filter((entry) => !serverEntries.includes(entry))

// `pnpm test` builds first (turbo); a bare `vitest run` before any build reports these as skipped.
describe.skipIf(!existsSync(new URL('index.js', dist)))('"use client" in the built entries', () => {
  it('covers the component entries of package.json', () => {
    expect(clientEntries).toEqual(expect.arrayContaining(['index.js', 'bulk/index.js']))
  })

  it.each(clientEntries)('%s starts with the directive, its source map one line down', (entry) => {
    const code = readFileSync(new URL(entry, dist), 'utf8')
    expect(code).toMatch(/^"use client";\n/)
    // The name of the first function declared maps to that name in the sources.
    const lines = code.split('\n')
    const line = lines.findIndex((text) => /^function \w+\(/.test(text))
    const name = /^function (\w+)\(/.exec(lines[line] ?? '')?.[1] ?? 'no function'
    const map = JSON.parse(readFileSync(new URL(`${entry}.map`, dist), 'utf8')) as SourceMap
    expect(sourceAt(map, line, 'function '.length)).toMatch(new RegExp(`^${name}\\(`))
  })

  it.each(serverEntries)('%s stays importable by server components as it is', (entry) => {
    expect(readFileSync(new URL(entry, dist), 'utf8')).not.toContain('use client')
  })
})

interface SourceMap {
  sources: string[]
  sourcesContent: string[]
  mappings: string
}

/** The source text from where generated line `line`, column `column` (both 0-based) maps: Source Map v3 VLQ. */
function sourceAt(map: SourceMap, line: number, column: number): string | undefined {
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  const position = { source: 0, line: 0, column: 0 }
  let found: string | undefined
  for (const [index, segments] of map.mappings
    .split(';')
    .slice(0, line + 1)
    .entries()) {
    let generatedColumn = 0
    for (const segment of segments.split(',').filter(Boolean)) {
      const fields: number[] = []
      let value = 0
      let shift = 0
      for (const char of segment) {
        const digit = digits.indexOf(char)
        value += (digit & 31) << shift
        shift += 5
        if (digit & 32) continue
        fields.push(value & 1 ? -(value >> 1) : value >> 1)
        value = 0
        shift = 0
      }
      generatedColumn += fields[0] ?? 0
      position.source += fields[1] ?? 0
      position.line += fields[2] ?? 0
      position.column += fields[3] ?? 0
      if (index === line && generatedColumn <= column && fields.length >= 4)
        found = map.sourcesContent[position.source]?.split('\n')[position.line]?.slice(position.column)
    }
  }
  return found
}
