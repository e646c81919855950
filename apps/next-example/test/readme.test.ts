import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

/** The "Next.js (App Router)" section of @entra-share/react's README: its copy-paste files are this app's. */
const readme = readFileSync(new URL('../../../packages/react/README.md', import.meta.url), 'utf8')
const start = readme.indexOf('## Next.js (App Router)')
const section = readme.slice(start, readme.indexOf('\n## ', start + 1))

/** The code block after the line that names `file` (`app/page.tsx`, …). */
function block(file: string): string | undefined {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^\`${escaped}\`.*\\n\\n\`\`\`tsx\\n([\\s\\S]*?)\\n\`\`\`$`, 'm').exec(section)?.[1]
}

describe('the README’s Next.js setup', () => {
  it.each(['app/providers.tsx', 'app/account.tsx', 'app/layout.tsx', 'app/page.tsx'])(
    'shows %s as it is',
    (file) => {
      expect(start).toBeGreaterThan(0)
      expect(block(file)).toBe(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8').trimEnd())
    },
  )

  it('names every NEXT_PUBLIC_ value the app reads', () => {
    const read = new Set<string>()
    for (const file of ['providers.tsx', 'account.tsx', 'page.tsx'])
      for (const [name] of readFileSync(new URL(`../app/${file}`, import.meta.url), 'utf8').matchAll(
        /NEXT_PUBLIC_\w+/g,
      ))
        read.add(name)
    expect(
      [...read].filter((name) => !section.includes(`${name}=`) && !section.includes(`\`${name}\``)),
    ).toEqual([])
  })
})
