/** What the throttle budget decided for one request. */
export type BudgetDecision =
  | { allowed: true; usedFraction: number }
  | { allowed: false; usedFraction: number; retryAfterSeconds: number }

/**
 * One app+tenant's budget: at most `limit` requests in any window of `windowMs` (a sliding window). Graph's
 * Identity and access limits are counts per window ("ResourceUnits per 10 seconds"), and the share of the limit an
 * app has used is what it spent in the window: a steady 95 % of the limit reads 0.95 whatever the window.
 *
 * @example
 * const window = new ThrottleWindow(2, 1000)
 * window.spend(0) // { allowed: true, usedFraction: 0.5 }
 * window.spend(0) // { allowed: true, usedFraction: 1 }
 * window.spend(10) // { allowed: false, usedFraction: 1.5, retryAfterSeconds: 1 }
 */
export class ThrottleWindow {
  /** When each request the window still holds was allowed, oldest first, from `head` on. */
  private times: number[] = []
  private head = 0

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request at `now` (milliseconds) if the window has room; a refused request is not counted. */
  spend(now: number): BudgetDecision {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - this.windowMs) {
      this.head += 1
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head)
      this.head = 0
    }
    const held = this.times.length - this.head
    // A refused request reports what it would have used, as Graph's header does past the limit.
    const usedFraction = (held + 1) / this.limit
    if (held + 1 <= this.limit) {
      this.times.push(now)
      return { allowed: true, usedFraction }
    }
    // Room comes back when enough of the oldest requests have left the window.
    const freedAt = (this.times[this.head + held - this.limit] as number) + this.windowMs
    return { allowed: false, usedFraction, retryAfterSeconds: Math.max(1, Math.ceil((freedAt - now) / 1000)) }
  }
}
