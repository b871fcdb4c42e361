/**
 * The state of one Key Vault's secrets, with soft delete: the in-process door the HTTP door (KeyVault.ts)
 * is built on, and what tests use to change secrets "in the portal". Names are case-insensitive, as in
 * Key Vault; each set adds a version with a 32-hex id; the newest version is the current one.
 */
export interface SecretVersion {
  readonly name: string
  readonly version: string
  readonly value: string
  readonly contentType: string | undefined
  readonly tags: Readonly<Record<string, string>> | undefined
  readonly enabled: boolean
  /** Epoch seconds. */
  readonly notBefore: number | undefined
  readonly expires: number | undefined
  readonly created: number
  readonly updated: number
}

export interface DeletedSecret {
  readonly latest: SecretVersion
  readonly deletedDate: number
  readonly scheduledPurgeDate: number
}

export interface SetSecretOptions {
  readonly contentType?: string | undefined
  readonly tags?: Readonly<Record<string, string>> | undefined
  readonly enabled?: boolean | undefined
  readonly notBefore?: number | undefined
  readonly expires?: number | undefined
}

export type SecretChanges = Omit<SetSecretOptions, "value">

export type SetOutcome = { readonly ok: true; readonly secret: SecretVersion } | { readonly ok: false; readonly reason: "deleted" }

export interface KeyVaultSecrets {
  readonly set: (name: string, value: string, options?: SetSecretOptions) => SetOutcome
  /** The newest version, or the given one; disabled versions included. */
  readonly get: (name: string, version?: string) => SecretVersion | undefined
  /** Oldest first. */
  readonly versions: (name: string) => ReadonlyArray<SecretVersion>
  /** The current version of every live secret, by name. */
  readonly list: () => ReadonlyArray<SecretVersion>
  /** Updates the attributes of one version (the newest when omitted), as the portal's enable/disable does. */
  readonly update: (name: string, version: string | undefined, changes: SecretChanges) => SecretVersion | undefined
  readonly remove: (name: string) => DeletedSecret | undefined
  readonly deleted: (name: string) => DeletedSecret | undefined
  readonly listDeleted: () => ReadonlyArray<DeletedSecret>
  readonly purge: (name: string) => boolean
  readonly recover: (name: string) => SecretVersion | undefined
}

/** Key Vault's default soft-delete retention. */
export const recoverableDays = 90

const newVersion = (): string => crypto.randomUUID().replaceAll("-", "")

export const makeKeyVaultSecrets = (clock: () => number = Date.now): KeyVaultSecrets => {
  const live = new Map<string, Array<SecretVersion>>()
  const softDeleted = new Map<string, { readonly versions: Array<SecretVersion>; readonly record: DeletedSecret }>()
  const now = (): number => Math.floor(clock() / 1000)
  const keyOf = (name: string): string => name.toLowerCase()

  const get = (name: string, version?: string): SecretVersion | undefined => {
    const versions = live.get(keyOf(name))
    if (versions === undefined) return undefined
    return version === undefined ? versions.at(-1) : versions.find((v) => v.version === version.toLowerCase())
  }

  return {
    set: (name, value, options = {}) => {
      if (softDeleted.has(keyOf(name))) return { ok: false, reason: "deleted" }
      const versions = live.get(keyOf(name)) ?? []
      const timestamp = now()
      const secret: SecretVersion = {
        name: versions[0]?.name ?? name,
        version: newVersion(),
        value,
        contentType: options.contentType,
        tags: options.tags,
        enabled: options.enabled ?? true,
        notBefore: options.notBefore,
        expires: options.expires,
        created: timestamp,
        updated: timestamp
      }
      live.set(keyOf(name), [...versions, secret])
      return { ok: true, secret }
    },
    get,
    versions: (name) => [...(live.get(keyOf(name)) ?? [])],
    list: () => [...live.values()].flatMap((versions) => versions.slice(-1)),
    update: (name, version, changes) => {
      const current = get(name, version)
      const versions = live.get(keyOf(name))
      if (current === undefined || versions === undefined) return undefined
      const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined))
      const updated: SecretVersion = { ...current, ...defined, updated: now() }
      live.set(keyOf(name), versions.map((v) => (v.version === current.version ? updated : v)))
      return updated
    },
    remove: (name) => {
      const versions = live.get(keyOf(name))
      const latest = versions?.at(-1)
      if (versions === undefined || latest === undefined) return undefined
      live.delete(keyOf(name))
      const deletedDate = now()
      const record: DeletedSecret = { latest, deletedDate, scheduledPurgeDate: deletedDate + recoverableDays * 86_400 }
      softDeleted.set(keyOf(name), { versions, record })
      return record
    },
    deleted: (name) => softDeleted.get(keyOf(name))?.record,
    listDeleted: () => [...softDeleted.values()].map((entry) => entry.record),
    purge: (name) => softDeleted.delete(keyOf(name)),
    recover: (name) => {
      const entry = softDeleted.get(keyOf(name))
      if (entry === undefined) return undefined
      softDeleted.delete(keyOf(name))
      live.set(keyOf(name), entry.versions)
      return entry.record.latest
    }
  }
}
