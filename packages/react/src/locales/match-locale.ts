/**
 * BCP 47 lookup (RFC 4647 §3.4): for each requested tag in order of preference, the first of `available` that equals
 * the tag or one of its prefixes (`de-AT-u-nu-latn` → `de-AT` → `de`), case aside. Tags that are not language tags
 * (`''`, `*`) are skipped.
 *
 * @returns the index in `available` and the requested tag that matched, canonical (`de-AT`, so numbers and plurals
 * can follow the reader's region), or `null` when nothing matches.
 *
 * @example
 * matchLocale(['de-AT', 'en'], ['fr', 'de']) // { index: 1, tag: 'de-AT' }
 */
export function matchLocale(
  requested: readonly string[],
  available: readonly string[],
): { index: number; tag: string } | null {
  const offered = available.map((tag) => tag.toLowerCase())
  for (const wanted of requested) {
    let tag: string
    try {
      tag = Intl.getCanonicalLocales(wanted)[0] ?? ''
    } catch {
      continue // RangeError: not a language tag
    }
    let range = tag.toLowerCase()
    while (range) {
      const index = offered.indexOf(range)
      if (index >= 0) return { index, tag }
      // The last subtag goes, and a singleton (`-u`, `-x`) left dangling with it.
      const shorter = range.replace(/(?:-\w)?-\w+$/, '')
      range = shorter === range ? '' : shorter
    }
  }
  return null
}
