import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { problemCatalogue, problemCodes } from '../src/index.js'

/** The rows of the README's "Problem codes" table: `code`, status, meaning. */
function readmeRows(): string[][] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const section = readme.slice(readme.indexOf('## Problem codes'))
  return section
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
  it('lists every catalogued code with its status, retryability and field, in catalogue order', () => {
    const rows = readmeRows().map((cells) => cells.slice(0, 4))
    expect(rows).toEqual(
      problemCodes.map((code) => {
        const entry: { status: number; retryable: boolean; field?: string } = problemCatalogue[code]
        return [
          `\`${code}\``,
          String(entry.status),
          entry.retryable ? 'yes' : 'no',
          entry.field ? `\`${entry.field}\`` : '',
        ]
      }),
    )
  })
})
