import * as http from "node:http"
import { BlockList, isIP, type Socket } from "node:net"
import { bareHost } from "./AddressGuard.ts"

/**
 * The conventional proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as curl and most clients read them:
 * NO_PROXY entries are `*`, host names (which also cover their subdomains, with or without a leading dot),
 * `host:port`, IP addresses and CIDR ranges.
 */
export interface ProxySettings {
  readonly httpProxy?: string | undefined
  readonly httpsProxy?: string | undefined
  readonly noProxy: ReadonlyArray<string>
}

export const noProxySettings: ProxySettings = { noProxy: [] }

const defaultPort = (url: URL): string => url.port !== "" ? url.port : url.protocol === "https:" ? "443" : "80"

const matchesEntry = (url: URL, entry: string): boolean => {
  const host = bareHost(url.hostname).toLowerCase()
  const rule = entry.trim().toLowerCase()
  if (rule === "") return false
  if (rule === "*") return true
  const cidr = /^(.+)\/(\d{1,3})$/.exec(rule)
  if (cidr !== null) {
    const [, network = "", prefix = ""] = cidr
    const family = isIP(network)
    const hostFamily = isIP(host)
    if (family === 0 || hostFamily === 0) return false
    const list = new BlockList()
    list.addSubnet(network, Number(prefix), family === 6 ? "ipv6" : "ipv4")
    return list.check(host, hostFamily === 6 ? "ipv6" : "ipv4")
  }
  const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(rule)
  const [ruleHost, rulePort] = withPort === null ? [rule, undefined] : [withPort[1] ?? "", withPort[2]]
  if (rulePort !== undefined && rulePort !== defaultPort(url)) return false
  const name = bareHost(ruleHost).replace(/^\*?\./, "")
  return host === name || host.endsWith(`.${name}`)
}

/** The proxy to use for a URL, or undefined to connect directly. */
export const proxyFor = (url: URL, settings: ProxySettings): URL | undefined => {
  const proxy = url.protocol === "https:" ? settings.httpsProxy : settings.httpProxy
  if (proxy === undefined || proxy === "") return undefined
  if (settings.noProxy.some((entry) => matchesEntry(url, entry))) return undefined
  // a proxy given as host:port, as many deployments write it, means http://host:port
  return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`)
}

/** `Proxy-Authorization` for a proxy URL that carries user information. */
export const proxyAuthorization = (proxy: URL): Record<string, string> =>
  proxy.username === ""
    ? {}
    : {
      "proxy-authorization": `Basic ${
        Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString("base64")
      }`
    }

export const proxyEndpoint = (proxy: URL): { readonly host: string; readonly port: number } => ({
  host: bareHost(proxy.hostname),
  port: Number(defaultPort(proxy))
})

export class ProxyRefused extends Error {
  readonly status: number | undefined
  constructor(message: string, status?: number) {
    super(message)
    this.name = "ProxyRefused"
    this.status = status
  }
}

/** Opens a CONNECT tunnel through the proxy to the target's host and port; TLS runs inside it end to end. */
export const openTunnel = (proxy: URL, target: URL, signal: AbortSignal): Promise<Socket> =>
  new Promise((resolve, reject) => {
    if (proxy.protocol !== "http:") {
      reject(new ProxyRefused(`proxy ${proxy.protocol}//${proxy.host} is not an http:// proxy`))
      return
    }
    const authority = `${target.hostname}:${defaultPort(target)}`
    const request = http.request({
      ...proxyEndpoint(proxy),
      method: "CONNECT",
      path: authority,
      headers: { host: authority, ...proxyAuthorization(proxy) },
      agent: false,
      signal
    })
    request.once("connect", (response, socket) => {
      if (response.statusCode === 200) return resolve(socket)
      socket.destroy()
      reject(new ProxyRefused(`proxy ${proxy.host} refused the tunnel: ${response.statusCode ?? "?"} ${response.statusMessage ?? ""}`.trim(), response.statusCode))
    })
    request.once("error", reject)
    request.end()
  })
