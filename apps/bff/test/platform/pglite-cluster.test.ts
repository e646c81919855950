import { existsSync, statSync } from 'node:fs'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/platform/database.js'
import { ensurePgliteCluster } from '../../src/platform/pglite-cluster.js'

// Each case runs initdb once in a child process (several seconds on a busy machine).
describe('ensurePgliteCluster', { timeout: 120_000 }, () => {
  let scratch: string
  const cacheBefore = process.env.XDG_CACHE_HOME
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'entra-share-cluster-'))
  })
  afterAll(async () => {
    if (cacheBefore === undefined) delete process.env.XDG_CACHE_HOME
    else process.env.XDG_CACHE_HOME = cacheBefore
    await rm(scratch, { recursive: true, force: true })
  })

  it('makes the template once, in the cache folder, and copies it into each new data folder', async () => {
    process.env.XDG_CACHE_HOME = join(scratch, 'cache')
    await ensurePgliteCluster(join(scratch, 'first'))
    const cache = join(scratch, 'cache', 'entra-share-bff')
    const [template, ...others] = await readdir(cache)
    expect(others).toEqual([]) // the child's scratch folder is gone
    expect(template).toMatch(/^pglite-\d+\.\d+\.\d+-cluster$/)
    const made = statSync(join(cache, template as string, 'PG_VERSION')).mtimeMs

    await ensurePgliteCluster(join(scratch, 'second'))
    expect(statSync(join(cache, template as string, 'PG_VERSION')).mtimeMs).toBe(made)
    for (const folder of ['first', 'second']) {
      expect((await readdir(join(scratch, folder))).sort()).toEqual(
        (await readdir(join(cache, template as string))).sort(),
      )
    }

    // The copy opens, migrates, and runs with the BFF's smaller shared memory.
    const db = await openDatabase({ dataDir: join(scratch, 'second') })
    try {
      expect(await db.query(`SELECT current_setting('shared_buffers') AS size`)).toEqual([{ size: '8MB' }])
      expect((await db.query('SELECT version FROM schema_migrations')).length).toBeGreaterThan(0)
    } finally {
      await db.close()
    }
  })

  it('leaves a folder that already holds a cluster alone', async () => {
    const folder = join(scratch, 'second')
    const before = statSync(join(folder, 'PG_VERSION')).mtimeMs
    await ensurePgliteCluster(folder)
    expect(statSync(join(folder, 'PG_VERSION')).mtimeMs).toBe(before)
  })

  it('without a usable cache folder, runs initdb in a child process straight into the data folder', async () => {
    const blocker = join(scratch, 'not-a-folder')
    await writeFile(blocker, '')
    process.env.XDG_CACHE_HOME = blocker
    const folder = join(scratch, 'uncached')
    await ensurePgliteCluster(folder)
    expect(existsSync(join(folder, 'PG_VERSION'))).toBe(true)
    expect((await readdir(folder)).filter((entry) => entry.startsWith('.initdb-'))).toEqual([])
    const db = await openDatabase({ dataDir: folder })
    await expect(db.ping()).resolves.toBeUndefined()
    await db.close()
  })
})
