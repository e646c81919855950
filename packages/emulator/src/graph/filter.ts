import type { DirectoryUser } from '../state/directory.js'
import { USER_PROPERTY_NAMES, USER_TYPE_NAME } from './user-view.js'

/** Decides whether a user matches a parsed `$filter`. */
export type UserPredicate = (user: DirectoryUser) => boolean

/**
 * Keys every matching user has one of: an address (`mail`, an `otherMails` entry or `userPrincipalName`) or an object
 * id. Lets the caller look candidates up in the directory's index instead of testing every user.
 */
export interface LookupKeys {
  addresses: string[]
  ids: string[]
}

export type FilterResult =
  | { ok: true; predicate: UserPredicate; lookup: LookupKeys | null }
  | { ok: false; code: 'BadRequest' | 'Request_UnsupportedQuery'; message: string }

/** A parsed clause: its predicate and, when it can only match users with certain keys, those keys. */
interface Clause {
  predicate: UserPredicate
  lookup: LookupKeys | null
}

/** Properties whose equality with a string literal pins the address a matching user has. */
const ADDRESS_PROPERTIES = new Set<EqualityProperty>(['mail', 'userPrincipalName'])

type Literal = string | boolean

/** Single-valued properties a default (non-advanced) user query may compare with `eq` / `in`. */
const EQUALITY_PROPERTIES = {
  id: (user) => user.id,
  mail: (user) => user.mail,
  userPrincipalName: (user) => user.userPrincipalName,
  displayName: (user) => user.displayName,
  givenName: (user) => user.givenName,
  surname: (user) => user.surname,
  jobTitle: (user) => user.jobTitle,
  userType: (user) => user.userType,
  creationType: (user) => user.creationType,
  externalUserState: (user) => user.externalUserState,
  accountEnabled: (user) => user.accountEnabled,
} satisfies Record<string, (user: DirectoryUser) => Literal | null>

type EqualityProperty = keyof typeof EQUALITY_PROPERTIES

/** Properties `startswith(property,'…')` works on without advanced query parameters. */
const STARTSWITH_PROPERTIES = new Set<EqualityProperty>([
  'displayName',
  'givenName',
  'surname',
  'mail',
  'userPrincipalName',
  'jobTitle',
])

/** Collection properties filtered through a lambda: `otherMails/any(x:x eq '…')`. */
const COLLECTION_PROPERTIES = {
  otherMails: (user) => user.otherMails,
} satisfies Record<string, (user: DirectoryUser) => readonly string[]>

/** Raised inside the parser; turned into a `FilterResult` at the top. */
class FilterError extends Error {
  constructor(
    readonly code: 'BadRequest' | 'Request_UnsupportedQuery',
    message: string,
  ) {
    super(message)
  }
}

interface Token {
  kind: 'word' | 'string' | 'punct'
  text: string
  position: number
}

/**
 * Parses the `$filter` subset of `GET /users` that entra-share and host apps use: `eq` and `in` on the
 * properties Graph filters without advanced query parameters, `startswith()`, `otherMails/any(x:x eq '…')`,
 * combined with `and`, `or` and parentheses. String comparisons ignore case, as the directory does.
 * Anything else answers as Graph does: a syntax error is `BadRequest`, a valid but unsupported clause is
 * `Request_UnsupportedQuery`.
 *
 * @example
 * const result = parseUserFilter("mail eq 'a@b.example' or otherMails/any(x:x eq 'a@b.example')")
 * if (result.ok) users.filter(result.predicate)
 */
export function parseUserFilter(raw: string): FilterResult {
  try {
    const parser = new FilterParser(raw)
    return { ok: true, ...parser.parse() }
  } catch (error) {
    if (error instanceof FilterError) return { ok: false, code: error.code, message: error.message }
    throw error
  }
}

class FilterParser {
  private readonly tokens: Token[]
  private index = 0

  constructor(private readonly raw: string) {
    this.tokens = tokenize(raw, (position) => this.syntaxError(position))
  }

  parse(): Clause {
    const clause = this.orExpression()
    const extra = this.tokens[this.index]
    if (extra) throw this.syntaxError(extra.position)
    return clause
  }

  private orExpression(): Clause {
    const operands = [this.andExpression()]
    while (this.acceptWord('or')) operands.push(this.andExpression())
    if (operands.length === 1) return operands[0] as Clause
    const predicates = operands.map((operand) => operand.predicate)
    // A user matching any operand has one of that operand's keys: the union, if every operand has keys.
    const lookups = operands.map((operand) => operand.lookup)
    const lookup = lookups.every((keys) => keys !== null)
      ? {
          addresses: lookups.flatMap((keys) => (keys as LookupKeys).addresses),
          ids: lookups.flatMap((keys) => (keys as LookupKeys).ids),
        }
      : null
    return { predicate: (user) => predicates.some((predicate) => predicate(user)), lookup }
  }

  private andExpression(): Clause {
    const operands = [this.primary()]
    while (this.acceptWord('and')) operands.push(this.primary())
    if (operands.length === 1) return operands[0] as Clause
    const predicates = operands.map((operand) => operand.predicate)
    // A user matching every operand has the keys of any one of them.
    const lookup = operands.find((operand) => operand.lookup !== null)?.lookup ?? null
    return { predicate: (user) => predicates.every((predicate) => predicate(user)), lookup }
  }

  private primary(): Clause {
    if (this.acceptPunct('(')) {
      const inner = this.orExpression()
      this.expectPunct(')')
      return inner
    }
    const name = this.expectWord()
    if (this.peek()?.text === '(') return this.functionCall(name)
    if (this.acceptPunct('/')) return this.lambda(name)
    return this.comparison(name)
  }

  private functionCall(name: Token): Clause {
    this.expectPunct('(')
    const key = equalityProperty(this.expectWord().text)
    this.expectPunct(',')
    const prefix = this.expectLiteral()
    this.expectPunct(')')
    const supported = name.text.toLowerCase() === 'startswith' && STARTSWITH_PROPERTIES.has(key)
    if (!supported || typeof prefix !== 'string') throw unsupported(key)
    const read = EQUALITY_PROPERTIES[key]
    const predicate: UserPredicate = (user) => {
      const value = read(user)
      return typeof value === 'string' && value.toLowerCase().startsWith(prefix.toLowerCase())
    }
    return { predicate, lookup: null }
  }

  private lambda(collection: Token): Clause {
    const key = collectionProperty(collection.text)
    const operator = this.expectWord()
    if (operator.text.toLowerCase() !== 'any') throw unsupported(key)
    this.expectPunct('(')
    const variable = this.expectWord().text
    this.expectPunct(':')
    if (this.expectWord().text !== variable) throw unsupported(key)
    if (this.expectWord().text.toLowerCase() !== 'eq') throw unsupported(key)
    const wanted = this.expectLiteral()
    this.expectPunct(')')
    if (typeof wanted !== 'string') throw unsupported(key)
    const read = COLLECTION_PROPERTIES[key]
    return {
      predicate: (user) => read(user).some((value) => value.toLowerCase() === wanted.toLowerCase()),
      lookup: { addresses: [wanted.toLowerCase()], ids: [] },
    }
  }

  private comparison(property: Token): Clause {
    const key = equalityProperty(property.text)
    const operator = this.expectWord().text.toLowerCase()
    let candidates: Literal[]
    if (operator === 'eq') candidates = [this.expectLiteral()]
    else if (operator === 'in') candidates = this.literalList()
    else throw unsupported(key)
    const read = EQUALITY_PROPERTIES[key]
    const predicate: UserPredicate = (user) =>
      candidates.some((candidate) => sameValue(read(user), candidate))
    return { predicate, lookup: lookupKeys(key, candidates) }
  }

  private literalList(): Literal[] {
    this.expectPunct('(')
    const values = [this.expectLiteral()]
    while (this.acceptPunct(',')) values.push(this.expectLiteral())
    this.expectPunct(')')
    return values
  }

  private expectLiteral(): Literal {
    const token = this.next()
    if (token.kind === 'string') return token.text
    if (token.kind === 'word' && (token.text === 'true' || token.text === 'false'))
      return token.text === 'true'
    if (token.kind === 'word' && token.text === 'null') {
      throw new FilterError(
        'Request_UnsupportedQuery',
        'Unsupported query: comparing with null requires advanced query parameters.',
      )
    }
    throw this.syntaxError(token.position)
  }

  private expectWord(): Token {
    const token = this.next()
    if (token.kind !== 'word') throw this.syntaxError(token.position)
    return token
  }

  private expectPunct(text: string): void {
    const token = this.next()
    if (token.kind !== 'punct' || token.text !== text) throw this.syntaxError(token.position)
  }

  private acceptPunct(text: string): boolean {
    const token = this.peek()
    if (token?.kind !== 'punct' || token.text !== text) return false
    this.index += 1
    return true
  }

  private acceptWord(word: string): boolean {
    const token = this.peek()
    if (token?.kind !== 'word' || token.text.toLowerCase() !== word) return false
    this.index += 1
    return true
  }

  private peek(): Token | undefined {
    return this.tokens[this.index]
  }

  private next(): Token {
    const token = this.tokens[this.index]
    if (!token) throw this.syntaxError(this.raw.length)
    this.index += 1
    return token
  }

  private syntaxError(position: number): FilterError {
    return new FilterError(
      'BadRequest',
      `Invalid filter clause: Syntax error at position ${position} in '${this.raw}'.`,
    )
  }
}

function tokenize(raw: string, syntaxError: (position: number) => FilterError): Token[] {
  const tokens: Token[] = []
  let position = 0
  while (position < raw.length) {
    const char = raw[position] as string
    if (/\s/.test(char)) {
      position += 1
    } else if ('(),:/'.includes(char)) {
      tokens.push({ kind: 'punct', text: char, position })
      position += 1
    } else if (char === "'") {
      const start = position
      let text = ''
      position += 1
      for (;;) {
        if (position >= raw.length) throw syntaxError(start)
        if (raw[position] === "'") {
          // OData escapes a quote inside a string literal by doubling it.
          if (raw[position + 1] === "'") {
            text += "'"
            position += 2
            continue
          }
          position += 1
          break
        }
        text += raw[position]
        position += 1
      }
      tokens.push({ kind: 'string', text, position: start })
    } else {
      const word = /^[A-Za-z0-9_][A-Za-z0-9_.]*/.exec(raw.slice(position))?.[0]
      if (!word) throw syntaxError(position)
      tokens.push({ kind: 'word', text: word, position })
      position += word.length
    }
  }
  return tokens
}

function equalityProperty(name: string): EqualityProperty {
  return resolveProperty(name, Object.keys(EQUALITY_PROPERTIES)) as EqualityProperty
}

function collectionProperty(name: string): keyof typeof COLLECTION_PROPERTIES {
  return resolveProperty(name, Object.keys(COLLECTION_PROPERTIES)) as keyof typeof COLLECTION_PROPERTIES
}

/** The declared name of a supported property; a known but unsupported one, or an unknown one, is refused. */
function resolveProperty(name: string, supported: string[]): string {
  const lower = name.toLowerCase()
  const match = supported.find((candidate) => candidate.toLowerCase() === lower)
  if (match) return match
  const declared = USER_PROPERTY_NAMES.find((candidate) => candidate.toLowerCase() === lower)
  if (declared) throw unsupported(declared)
  throw new FilterError(
    'BadRequest',
    `Could not find a property named '${name}' on type '${USER_TYPE_NAME}'.`,
  )
}

function unsupported(property: string): FilterError {
  return new FilterError(
    'Request_UnsupportedQuery',
    `Unsupported or invalid query filter clause specified for property '${property}' of resource 'User'.`,
  )
}

/** The keys a user compared with `eq` / `in` must have: an address for `mail` or `userPrincipalName`, else its id. */
function lookupKeys(key: EqualityProperty, candidates: Literal[]): LookupKeys | null {
  const values: string[] = []
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') return null
    values.push(candidate.toLowerCase())
  }
  if (ADDRESS_PROPERTIES.has(key)) return { addresses: values, ids: [] }
  return key === 'id' ? { addresses: [], ids: values } : null
}

function sameValue(actual: Literal | null, wanted: Literal): boolean {
  if (typeof actual === 'string' && typeof wanted === 'string')
    return actual.toLowerCase() === wanted.toLowerCase()
  return actual === wanted
}
