import { randomBytes } from 'node:crypto'
import { existsSync, linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'

function temporaryPath(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
}

/** Creates the file only if it does not exist (atomically: link fails when another process won); returns its content. */
export function writeOnce(path: string, create: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8')
  const temporary = temporaryPath(path)
  writeFileSync(temporary, create(), { mode: 0o600 })
  try {
    linkSync(temporary, path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    unlinkSync(temporary)
  }
  return readFileSync(path, 'utf8')
}

export function replaceFile(path: string, content: string): void {
  const temporary = temporaryPath(path)
  writeFileSync(temporary, content, { mode: 0o600 })
  renameSync(temporary, path)
}
