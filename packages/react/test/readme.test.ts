import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { clientErrorTraits, problemCodes } from '@entra-share/contracts'
import { describe, expect, it } from 'vitest'
import { defaultShareStrings } from '../src/ShareWithExternalUser/strings.js'

/** The rows of the README's "Error codes and their default messages" table: `code`, sentence. */
function readmeRows(): string[][] {
  const readme = readFileSync(fileURLToPath(import.meta.resolve('../README.md')), 'utf8')
  const section = readme.slice(readme.indexOf('## Error codes and their default messages'))
  return section
    .slice(0, section.indexOf('\n## ', 1))
    .split('\n')
    .filter((line) => /^\| `\w+`/.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
}

describe('README', () => {
  it('lists every code of the catalogue, then the client codes, with the sentence of strings.ts', () => {
    const codes = [
      ...problemCodes,
      ...Object.keys(clientErrorTraits),
    ] as (keyof typeof defaultShareStrings.errors)[]
    expect(readmeRows()).toEqual(codes.map((code) => [`\`${code}\``, defaultShareStrings.errors[code]]))
  })
})
