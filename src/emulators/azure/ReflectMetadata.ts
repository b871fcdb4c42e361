/**
 * The slice of the reflect-metadata API that tsyringe (a dependency of @peculiar/x509) checks for when it is
 * loaded: it throws unless `Reflect.getMetadata` exists. The project does not depend on reflect-metadata, and
 * x509 only stores and reads back its own injection tokens, so a WeakMap-backed store is enough. Import this
 * module before @peculiar/x509; it leaves a real polyfill alone if one is already installed.
 */
type MetadataTarget = object
const store = new WeakMap<MetadataTarget, Map<unknown, unknown>>()

const getOwnMetadata = (key: unknown, target: MetadataTarget): unknown => store.get(target)?.get(key)

const getMetadata = (key: unknown, target: MetadataTarget): unknown => {
  for (let current: MetadataTarget | null = target; current !== null; current = Object.getPrototypeOf(current)) {
    const own = store.get(current)
    if (own?.has(key) === true) return own.get(key)
  }
  return undefined
}

const defineMetadata = (key: unknown, value: unknown, target: MetadataTarget): void => {
  const own = store.get(target) ?? new Map<unknown, unknown>()
  own.set(key, value)
  store.set(target, own)
}

if (!("getMetadata" in Reflect)) {
  Object.assign(Reflect, { getMetadata, getOwnMetadata, defineMetadata })
}
