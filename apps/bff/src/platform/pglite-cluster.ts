import { spawn } from 'node:child_process'
import { constants, existsSync, readFileSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, rmdir, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'

/**
 * How the BFF starts PGlite's Postgres: PGlite's own parameters, plus smaller shared memory. PGlite's WebAssembly
 * memory never shrinks and Postgres touches all of its shared memory as it starts, so initdb's 128 MB of shared
 * buffers (written into `postgresql.conf`) cost ~120 MB of resident memory for a database of a few megabytes. 8 MB of
 * buffers hold the BFF's working set; older pages are read from the data folder, which the operating system caches.
 * PGlite is one connection, so shared memory sized for initdb's 100 connections (locks, process slots) is waste too.
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=8MB',
  '-c',
  'max_connections=10',
]

/** The file whose presence marks a complete cluster; PGlite runs initdb when it is missing. */
const CLUSTER_MARKER = 'PG_VERSION'

/**
 * Makes `dataDir` hold a PGlite cluster without running initdb in this process. initdb grows PGlite's WebAssembly
 * memory to ~850 MB (it runs a second, in-memory PGlite beside the first), memory a process never gets back, and it
 * takes several seconds. Instead the cluster is copied from a template that a child process created once for this
 * version of PGlite (kept in the user's cache folder, `$XDG_CACHE_HOME/entra-share-bff` or `~/.cache/entra-share-bff`);
 * when there is no usable cache folder, a child process runs initdb into `dataDir` itself. A folder that already holds
 * a cluster is left as it is. The marker file is written last, so an interrupted copy is redone on the next start.
 *
 * @example
 * await ensurePgliteCluster('.data/bff') // then PGlite.create('.data/bff') only opens it
 */
export async function ensurePgliteCluster(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, CLUSTER_MARKER))) return
  await mkdir(dataDir, { recursive: true })
  const template = await clusterTemplate()
  if (template) {
    await copyCluster(template, dataDir)
    await copyFile(join(template, CLUSTER_MARKER), join(dataDir, CLUSTER_MARKER))
    return
  }
  const scratch = await mkdtemp(join(dataDir, '.initdb-'))
  try {
    await initdbInChildProcess(scratch)
    const entries = (await readdir(scratch)).filter((entry) => entry !== CLUSTER_MARKER)
    for (const entry of [...entries, CLUSTER_MARKER]) {
      await rm(join(dataDir, entry), { recursive: true, force: true })
      await rename(join(scratch, entry), join(dataDir, entry))
    }
    await rmdir(scratch)
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/**
 * The template cluster for this PGlite version, created by a child process on first use; undefined when no cache
 * folder can be written. Concurrent first starts each build one and the first to rename it into place wins.
 */
async function clusterTemplate(): Promise<string | undefined> {
  const root = cacheRoot()
  if (!root) return undefined
  const template = join(root, `pglite-${pgliteVersion()}-cluster`)
  if (existsSync(join(template, CLUSTER_MARKER))) return template
  let scratch: string
  try {
    await mkdir(root, { recursive: true, mode: 0o700 })
    scratch = await mkdtemp(join(root, '.initdb-'))
  } catch {
    return undefined // not writable (a read-only home folder): no template
  }
  try {
    await initdbInChildProcess(scratch)
    await rename(scratch, template).catch((error: NodeJS.ErrnoException) => {
      // Another process put its template in place first: use that one.
      if (!existsSync(join(template, CLUSTER_MARKER))) throw error
    })
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
  return template
}

/** Files copied at once: a cluster is ~1,000 small files. */
const COPIES_AT_ONCE = 16

/**
 * Copies the cluster in `template` into `dataDir`, all but its marker file: folders first, then the files, several
 * at once (a clone where the file system can make one). `fs.cp` copies one file after the other: PGlite's 971 files
 * (39 MB) took it 0.4–1.2 s against 0.3–0.9 s for this, side by side; it is most of a fresh start's time to ready.
 */
async function copyCluster(template: string, dataDir: string): Promise<void> {
  const files: string[] = []
  const walk = async (relative: string): Promise<void> => {
    // With the template's permissions, as PGlite's initdb made them.
    await mkdir(join(dataDir, relative), {
      recursive: true,
      mode: (await stat(join(template, relative))).mode,
    })
    for (const entry of await readdir(join(template, relative), { withFileTypes: true })) {
      const path = join(relative, entry.name)
      if (entry.isDirectory()) await walk(path)
      else if (path !== CLUSTER_MARKER) files.push(path)
    }
  }
  await walk('')
  let next = 0
  const copier = async () => {
    for (let index = next++; index < files.length; index = next++) {
      const path = files[index] as string
      await copyFile(join(template, path), join(dataDir, path), constants.COPYFILE_FICLONE)
    }
  }
  await Promise.all(Array.from({ length: COPIES_AT_ONCE }, copier))
}

function cacheRoot(): string | undefined {
  let base = process.env.XDG_CACHE_HOME
  if (!base) {
    try {
      base = join(homedir(), '.cache')
    } catch {
      return undefined // no home folder (a system account in a container)
    }
  }
  return join(base, 'entra-share-bff')
}

const require = createRequire(import.meta.url)

/** PGlite's package version: a template is only ever used by the PGlite that created it. */
function pgliteVersion(): string {
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json')
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
}

/** Runs PGlite's initdb in `directory` in a child process, whose memory goes back to the system when it exits. */
function initdbInChildProcess(directory: string): Promise<void> {
  const script = `const [entry, dir] = process.argv.slice(1)
require(entry).PGlite.create(dir).then((pg) => pg.close()).catch((error) => { console.error(error); process.exit(1) })`
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-e', script, require.resolve('@electric-sql/pglite'), directory],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    )
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000)
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (code === 0) resolve()
      else
        reject(
          new Error(
            `PGlite's initdb for ${directory} failed (${signal ?? `exit code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`,
          ),
        )
    })
  })
}
