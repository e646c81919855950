import { existsSync, readFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Database, Queryable } from './types.js'

/** A transaction that can also run a multi-statement SQL script (PGlite's `query` takes one statement only). */
export interface ScriptQueryable extends Queryable {
  exec(sql: string): Promise<void>
}

/** A {@link Database} whose transactions can run scripts: what `openDatabase` builds before it hands it out. */
export interface MigratableDatabase extends Database {
  transaction<T>(work: (tx: ScriptQueryable) => Promise<T>): Promise<T>
}

/** One `NNN_name.sql` file. */
export interface Migration {
  version: number
  name: string
  sql: string
}

const PACKAGE_NAME = '@entra-share/bff'
const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/

/**
 * Finds the package's `migrations/` folder by walking up from `from` to the `@entra-share/bff` package root, so the
 * same lookup works from `src/platform/` (tests), from the bundled `dist/` and from an installed copy in `node_modules`.
 *
 * @example
 * findMigrationsDirectory() // '/srv/app/node_modules/@entra-share/bff/migrations'
 */
export function findMigrationsDirectory(from: string | URL = import.meta.url): string {
  const start = dirname(from instanceof URL || from.startsWith('file:') ? fileURLToPath(from) : from)
  for (let directory = start; ; directory = dirname(directory)) {
    if (isPackageRoot(directory)) return join(directory, 'migrations')
    if (dirname(directory) === directory) {
      throw new Error(
        `Could not find the ${PACKAGE_NAME} migrations folder above ${start}; the package must ship its migrations/ folder beside dist/.`,
      )
    }
  }
}

function isPackageRoot(directory: string): boolean {
  const manifest = join(directory, 'package.json')
  if (!existsSync(manifest) || !existsSync(join(directory, 'migrations'))) return false
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME
  } catch {
    return false
  }
}

/**
 * Reads `NNN_name.sql` files in version order; other files are ignored, a repeated version is an error.
 *
 * @example
 * const migrations = await readMigrations(findMigrationsDirectory())
 */
export async function readMigrations(directory: string): Promise<Migration[]> {
  const migrations: Migration[] = []
  for (const file of (await readdir(directory)).sort()) {
    const match = MIGRATION_FILE.exec(file)
    if (!match) continue
    const version = Number(match[1])
    if (migrations.some((migration) => migration.version === version)) {
      throw new Error(`Two migrations in ${directory} share version ${match[1]}; renumber one of them.`)
    }
    migrations.push({
      version,
      name: file.slice(0, -'.sql'.length),
      sql: await readFile(join(directory, file), 'utf8'),
    })
  }
  return migrations
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction, and returns the names
 * it applied. Every transaction first takes a transaction-level advisory lock, so BFF instances starting together
 * against one PostgreSQL wait for each other instead of running the same migration twice.
 *
 * @example
 * const applied = await applyMigrations(db, { schema: 'tenant_a' }) // ['001_initial'] on a fresh database
 */
export async function applyMigrations(
  db: MigratableDatabase,
  options: { schema?: string; migrations?: Migration[] } = {},
): Promise<string[]> {
  const migrations = options.migrations ?? (await readMigrations(findMigrationsDirectory()))
  const lockKey = `entra-share-bff:migrations:${options.schema ?? ''}`
  const lock = (tx: Queryable) => tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey])

  await db.transaction(async (tx) => {
    await lock(tx)
    // Schema names are validated by openDatabase (lowercase identifiers), so they need no quoting.
    if (options.schema) await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`)
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    )
  })

  const applied: string[] = []
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      await lock(tx)
      // Checked under the lock: another instance may have applied it while we waited.
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version])
      if (done.length > 0) return false
      await tx.exec(migration.sql)
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ])
      return true
    })
    if (ran) applied.push(migration.name)
  }
  return applied
}
