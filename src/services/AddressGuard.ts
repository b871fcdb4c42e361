import * as dns from "node:dns"
import { BlockList, isIP, type LookupFunction } from "node:net"

/**
 * Which network addresses a specification URL may lead the operator to. Private ranges and cluster-internal names
 * stay allowed (implementations often serve their own document inside the cluster); what is refused are the places
 * a hostile URL would use to reach the operator's own node or cloud identity: metadata endpoints, link-local,
 * loopback (unless allowed, as the sandbox does), and addresses that are not a single host at all.
 */

export type AddressKind = "metadata" | "link-local" | "loopback" | "unspecified" | "multicast" | "broadcast" | "reserved"

export interface AddressPolicy {
  readonly allowLoopback: boolean
}

const describeKind: Record<AddressKind, string> = {
  metadata: "a cloud metadata endpoint",
  "link-local": "a link-local address",
  loopback: "a loopback address (set SPEC_ALLOW_LOOPBACK=true to allow it)",
  unspecified: "an unspecified address",
  multicast: "a multicast address",
  broadcast: "the broadcast address",
  reserved: "a reserved address"
}

export const describeAddressKind = (kind: AddressKind): string => describeKind[kind]

const ranges = (entries: ReadonlyArray<readonly [string, number]>): BlockList => {
  const list = new BlockList()
  for (const [network, prefix] of entries) list.addSubnet(network, prefix, isIP(network) === 6 ? "ipv6" : "ipv4")
  return list
}

// Order matters: the first kind that matches names the refusal (metadata before link-local).
const kinds: ReadonlyArray<readonly [AddressKind, BlockList]> = [
  [
    "metadata",
    ranges([
      ["169.254.169.254", 32], // AWS, Azure IMDS, GCP, Oracle, OpenStack
      ["168.63.129.16", 32], // Azure WireServer: a public address, so only this entry catches it
      ["100.100.100.200", 32], // Alibaba Cloud
      ["fd00:ec2::254", 128] // AWS over IPv6
    ])
  ],
  ["link-local", ranges([["169.254.0.0", 16], ["fe80::", 10]])],
  ["loopback", ranges([["127.0.0.0", 8], ["::1", 128]])],
  ["unspecified", ranges([["0.0.0.0", 8], ["::", 128]])], // Linux connects 0.0.0.0 to the local host
  ["broadcast", ranges([["255.255.255.255", 32]])],
  ["multicast", ranges([["224.0.0.0", 4], ["ff00::", 8]])],
  ["reserved", ranges([["240.0.0.0", 4], ["::", 96]])] // class E; IPv4-compatible IPv6 (deprecated)
]

/** Host names that lead to a metadata service whatever the resolver says. */
const metadataNames: ReadonlySet<string> = new Set(["metadata.google.internal", "metadata.goog"])

/** The IPv4 address carried in an IPv6 address of the NAT64 well-known prefix (64:ff9b::/96), if any. */
const nat64Embedded = (address: string): string | undefined => {
  const groups = expandIpv6(address)
  if (groups === undefined || groups[0] !== 0x64 || groups[1] !== 0xff9b || groups.slice(2, 6).some((g) => g !== 0)) return undefined
  const [high = 0, low = 0] = groups.slice(6)
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".")
}

const expandIpv6 = (address: string): ReadonlyArray<number> | undefined => {
  const parts = address.split("::")
  if (parts.length > 2) return undefined
  const toGroups = (text: string | undefined): Array<number> => {
    if (text === undefined || text === "") return []
    return text.split(":").flatMap((piece) => {
      if (!piece.includes(".")) return [Number.parseInt(piece, 16)]
      const [a = 0, b = 0, c = 0, d = 0] = piece.split(".").map(Number)
      return [(a << 8) | b, (c << 8) | d]
    })
  }
  const head = toGroups(parts[0])
  const tail = toGroups(parts[1])
  const groups = parts.length === 2 ? [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined
}

/** The kind of a literal IP address the operator must not connect to; undefined when it is an ordinary host. */
export const forbiddenKind = (address: string, policy: AddressPolicy): AddressKind | undefined => {
  const family = isIP(address)
  if (family === 0) return "reserved" // not an address at all: never connect to it
  const embedded = family === 6 ? nat64Embedded(address) : undefined
  if (embedded !== undefined) return forbiddenKind(embedded, policy)
  const type = family === 6 ? "ipv6" : "ipv4"
  const match = kinds.find(([, list]) => list.check(address, type))?.[0]
  return match === "loopback" && policy.allowLoopback ? undefined : match
}

/** A URL's host name without IPv6 brackets or a trailing dot, as the resolver and the guard see it. */
export const bareHost = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "")

export const isMetadataName = (host: string): boolean => metadataNames.has(bareHost(host).toLowerCase())

/** Raised inside the connection when the resolved address is refused; the fetch turns it into a SpecFetchError. */
export class AddressRefused extends Error {
  readonly host: string
  readonly address: string
  readonly kind: AddressKind
  constructor(host: string, address: string, kind: AddressKind) {
    super(`${host} resolves to ${address}, ${describeKind[kind]}`)
    this.name = "AddressRefused"
    this.host = host
    this.address = address
    this.kind = kind
  }
}

/** Every address a name resolves to must pass: one bad answer among good ones is a rebinding attempt. */
const checkAll = (host: string, addresses: ReadonlyArray<dns.LookupAddress>, policy: AddressPolicy): AddressRefused | undefined => {
  for (const { address } of addresses) {
    const kind = forbiddenKind(address, policy)
    if (kind !== undefined) return new AddressRefused(host, address, kind)
  }
  return undefined
}

/**
 * A `lookup` for node:http that resolves the name once, checks every answer and hands exactly the checked
 * addresses to the connection: no second resolution can slip another address in between check and connect.
 */
export const guardedLookup = (policy: AddressPolicy): LookupFunction => (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error !== null) return callback(error, "")
    const refused = checkAll(hostname, addresses, policy)
    if (refused !== undefined) return callback(refused, "")
    const [first] = addresses
    if (first === undefined) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "")
    return options.all === true ? callback(null, addresses) : callback(null, first.address, first.family)
  })
}

/**
 * Resolves and checks a name that a proxy will connect to: the proxy resolves it again, so this is the best the
 * operator can do there. A name the operator cannot resolve itself (egress-only DNS) is left to the proxy.
 */
export const checkThroughProxy = (host: string, policy: AddressPolicy): Promise<AddressRefused | undefined> =>
  dns.promises.lookup(host, { all: true }).then(
    (addresses) => checkAll(host, addresses, policy),
    () => undefined
  )
