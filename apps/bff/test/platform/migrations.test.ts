import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findMigrationsDirectory, readMigrations } from '../../src/platform/migrations.js'

const packageMigrations = fileURLToPath(new URL('../../migrations', import.meta.url))

describe('findMigrationsDirectory', () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'entra-share-migrations-'))
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('finds apps/bff/migrations from the source module (vitest)', () => {
    expect(findMigrationsDirectory()).toBe(packageMigrations)
    expect(existsSync(join(findMigrationsDirectory(), '001_initial.sql'))).toBe(true)
  })

  it('finds the same folder from the bundled dist/ entry (tsup)', () => {
    expect(findMigrationsDirectory(new URL('../../dist/index.js', import.meta.url))).toBe(packageMigrations)
  })

  it('finds an installed copy in node_modules, not another project folder named migrations above it', async () => {
    // The host app has a migrations/ folder of its own at its root.
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'host-app' }))
    await mkdir(join(root, 'migrations'))
    const installed = join(root, 'node_modules', '@entra-share', 'bff')
    await mkdir(join(installed, 'migrations'), { recursive: true })
    await mkdir(join(installed, 'dist'), { recursive: true })
    await writeFile(join(installed, 'package.json'), JSON.stringify({ name: '@entra-share/bff' }))

    expect(findMigrationsDirectory(pathToFileURL(join(installed, 'dist', 'index.js')))).toBe(
      join(installed, 'migrations'),
    )
    expect(findMigrationsDirectory(join(installed, 'dist', 'cli.js'))).toBe(join(installed, 'migrations'))
  })

  it('fails with a sentence when the package does not ship its migrations', async () => {
    const bare = join(root, 'bare', 'dist')
    await mkdir(bare, { recursive: true })
    await writeFile(join(root, 'bare', 'package.json'), JSON.stringify({ name: '@entra-share/bff' }))
    expect(() => findMigrationsDirectory(join(bare, 'index.js'))).toThrow(
      /Could not find the @entra-share\/bff migrations folder/,
    )
  })
})

describe('readMigrations', () => {
  let directory: string
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'entra-share-migration-files-'))
  })
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  it('reads NNN_name.sql files in version order and ignores anything else', async () => {
    await writeFile(join(directory, '010_later.sql'), 'SELECT 10')
    await writeFile(join(directory, '002_second.sql'), 'SELECT 2')
    await writeFile(join(directory, 'README.md'), '# notes')
    await writeFile(join(directory, '3_unpadded.sql'), 'SELECT 3')
    expect(await readMigrations(directory)).toEqual([
      { version: 2, name: '002_second', sql: 'SELECT 2' },
      { version: 10, name: '010_later', sql: 'SELECT 10' },
    ])
  })

  it('refuses two files with one version', async () => {
    await writeFile(join(directory, '002_again.sql'), 'SELECT 2')
    await expect(readMigrations(directory)).rejects.toThrow(/share version 002/)
  })

  it('the shipped folder starts at 001_initial', async () => {
    const [first] = await readMigrations(packageMigrations)
    expect(first?.name).toBe('001_initial')
  })
})
