/**
 * What Linux's /proc says of another process: its CPU time and its resident memory. The benchmarks read the BFF's
 * and the emulator's this way, since each runs in a process of its own. NaN where /proc cannot be read.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ): `getconf CLK_TCK`, 100 if it cannot be asked. */
export const CLOCK_TICKS = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100
  } catch {
    return 100
  }
})()

/** User + system CPU time the process has used so far (all its threads), in milliseconds. */
export function cpuMs(pid: number | undefined): number {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th
    // and 13th (the 14th and 15th of the whole line).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1000
  } catch {
    return Number.NaN
  }
}

/** The process's resident set now (VmRSS) and its peak so far (VmHWM), in MB (10^6 bytes). */
export function memoryMb(pid: number | undefined): { rssMb: number; peakMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
    return { rssMb: (kib('VmRSS') * 1024) / 1e6, peakMb: (kib('VmHWM') * 1024) / 1e6 }
  } catch {
    return { rssMb: Number.NaN, peakMb: Number.NaN }
  }
}

/**
 * Resets the process's peak resident set (VmHWM) to its current one (`5` to /proc/<pid>/clear_refs, Linux 4.0+),
 * so that VmHWM then says the peak of what follows. `false` when it could not.
 */
export function resetPeakRss(pid: number | undefined): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}
