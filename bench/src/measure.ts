/** Figures of one load run: throughput and latency percentiles. */
export interface LoadFigures {
  requests: number
  failures: number
  seconds: number
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  /** Every call's latency, ascending. */
  latenciesMs: number[]
}

/**
 * Runs `task(i)` for i in [0, total) with at most `concurrency` in flight, and measures each call.
 * A call that throws counts as a failure (its latency still counts).
 */
export async function runLoad(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<LoadFigures> {
  const latencies: number[] = []
  let failures = 0
  let next = 0
  const started = performance.now()
  const worker = async () => {
    while (next < total) {
      const index = next++
      const start = performance.now()
      try {
        await task(index)
      } catch {
        failures++
      }
      latencies.push(performance.now() - start)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return figures(latencies, failures, (performance.now() - started) / 1000)
}

/** The figures of several load runs taken together (their latencies pooled, their durations added). */
export function combine(runs: LoadFigures[]): LoadFigures {
  return figures(
    runs.flatMap((run) => run.latenciesMs),
    runs.reduce((sum, run) => sum + run.failures, 0),
    runs.reduce((sum, run) => sum + run.seconds, 0),
  )
}

function figures(latencies: number[], failures: number, seconds: number): LoadFigures {
  latencies.sort((a, b) => a - b)
  return {
    requests: latencies.length,
    failures,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? 0,
    latenciesMs: latencies,
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
}

/** Prints a table of named figures. */
export function printTable(title: string, rows: [string, string][]): void {
  const width = Math.max(...rows.map(([name]) => name.length))
  console.log(`\n${title}`)
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`)
}

/** Prints rows as columns: the first left-aligned, the others right-aligned (figures). */
export function printColumns(rows: string[][]): void {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  )
  for (const row of rows) {
    console.log(
      `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')}`,
    )
  }
}
