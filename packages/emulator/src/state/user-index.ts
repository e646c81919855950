import type { DirectoryUser } from './directory.js'

/** What a user is looked up by besides its object id: its addresses, lower-cased. */
type AddressedUser = Pick<DirectoryUser, 'mail' | 'otherMails' | 'userPrincipalName'>

/**
 * The lower-cased addresses a user is found by: `mail`, every `otherMails` entry and `userPrincipalName`.
 *
 * @example
 * userAddresses({ mail: 'Ada@Fabrikam.example', otherMails: ['ada@fabrikam.example'], userPrincipalName: 'ada_fabrikam.example#EXT#@contoso.onmicrosoft.com' })
 * // ['ada@fabrikam.example', 'ada_fabrikam.example#ext#@contoso.onmicrosoft.com']
 */
export function userAddresses(user: AddressedUser): string[] {
  const addresses = new Set<string>()
  if (user.mail) addresses.add(user.mail.toLowerCase())
  for (const other of user.otherMails) addresses.add(other.toLowerCase())
  addresses.add(user.userPrincipalName.toLowerCase())
  return [...addresses]
}

/**
 * A tenant's users filed by address (lower-cased `mail`, `otherMails`, `userPrincipalName`) and by assigned SKU, so
 * that lookups by address and licence counts do not scan every user. Kept current by the `Directory`, which files
 * every user it adds, changes or removes here; candidates come back in directory order (the order users were added).
 */
export class TenantUserIndex {
  private readonly byAddress = new Map<string, Set<DirectoryUser>>()
  private readonly addressesOf = new Map<DirectoryUser, string[]>()
  private readonly bySku = new Map<string, Set<string>>()
  private readonly skusOf = new Map<DirectoryUser, string[]>()
  private readonly position = new Map<DirectoryUser, number>()
  private nextPosition = 0

  constructor(users: Iterable<DirectoryUser>) {
    for (const user of users) this.add(user)
  }

  /** Files a user added to the tenant. */
  add(user: DirectoryUser): void {
    if (this.position.has(user)) return
    this.position.set(user, this.nextPosition++)
    this.fileAddresses(user)
    this.fileLicenses(user)
  }

  /** Forgets a user removed from the tenant. */
  remove(user: DirectoryUser): void {
    if (!this.position.has(user)) return
    this.unfileAddresses(user)
    this.unfileLicenses(user)
    this.position.delete(user)
  }

  /** Files a user again after its `mail`, `otherMails` or `userPrincipalName` changed. */
  readdress(user: DirectoryUser): void {
    if (!this.position.has(user)) return
    this.unfileAddresses(user)
    this.fileAddresses(user)
  }

  /** Files a user again after its `assignedLicenses` changed. */
  relicense(user: DirectoryUser): void {
    if (!this.position.has(user)) return
    this.unfileLicenses(user)
    this.fileLicenses(user)
  }

  /** Users filed under any of the (lower-cased) addresses, once each, in directory order. */
  withAddresses(addresses: Iterable<string>): DirectoryUser[] {
    const found = new Set<DirectoryUser>()
    for (const address of addresses) {
      for (const user of this.byAddress.get(address) ?? []) found.add(user)
    }
    return this.inDirectoryOrder(found)
  }

  /** Users in directory order. */
  inDirectoryOrder(users: Iterable<DirectoryUser>): DirectoryUser[] {
    return [...users].sort((a, b) => (this.position.get(a) ?? 0) - (this.position.get(b) ?? 0))
  }

  /** How many users hold the SKU (lower-case id): the subscription's `consumedUnits`. */
  licensedUsers(skuId: string): number {
    return this.bySku.get(skuId)?.size ?? 0
  }

  private fileAddresses(user: DirectoryUser): void {
    const addresses = userAddresses(user)
    this.addressesOf.set(user, addresses)
    for (const address of addresses) {
      const users = this.byAddress.get(address)
      if (users) users.add(user)
      else this.byAddress.set(address, new Set([user]))
    }
  }

  private unfileAddresses(user: DirectoryUser): void {
    for (const address of this.addressesOf.get(user) ?? []) {
      const users = this.byAddress.get(address)
      users?.delete(user)
      if (users?.size === 0) this.byAddress.delete(address)
    }
    this.addressesOf.delete(user)
  }

  private fileLicenses(user: DirectoryUser): void {
    const skus = [...new Set(user.assignedLicenses.map((license) => license.skuId.toLowerCase()))]
    this.skusOf.set(user, skus)
    for (const sku of skus) {
      const holders = this.bySku.get(sku)
      if (holders) holders.add(user.id)
      else this.bySku.set(sku, new Set([user.id]))
    }
  }

  private unfileLicenses(user: DirectoryUser): void {
    for (const sku of this.skusOf.get(user) ?? []) this.bySku.get(sku)?.delete(user.id)
    this.skusOf.delete(user)
  }
}
