import { fail, invalidField, succeed, type Outcome } from "./ArmFailure.ts"

/**
 * Downloads what a `*-link` format points at, as the APIM service does for `openapi-link`, `xml-link`, …
 * A download that fails (refused, timed out, non-2xx, not http(s)) is a 400 ValidationError naming the link,
 * which is how APIM reports a document it could not fetch.
 */
export type Fetcher = (url: string, signal: AbortSignal) => Promise<{ readonly status: number; readonly text: string }>

export const defaultFetcher: Fetcher = async (url, signal) => {
  const response = await fetch(url, { signal, redirect: "follow" })
  return { status: response.status, text: await response.text() }
}

export interface LinkOptions {
  readonly fetcher: Fetcher
  readonly timeoutMs: number
}

const downloadFailed = (url: string, reason: string): Outcome<never> =>
  fail(invalidField("value", `Failed to download the document from '${url}': ${reason}.`))

export const fetchLink = async (url: string, options: LinkOptions): Promise<Outcome<string>> => {
  if (!/^https?:\/\//i.test(url)) return downloadFailed(url, "the link must be an absolute http or https URL")
  try {
    const response = await options.fetcher(url, AbortSignal.timeout(options.timeoutMs))
    if (response.status < 200 || response.status > 299) return downloadFailed(url, `the server answered ${response.status}`)
    return succeed(response.text)
  } catch (cause) {
    const reason = cause instanceof Error && cause.name === "TimeoutError" ? `no answer within ${options.timeoutMs} ms` : String(cause)
    return downloadFailed(url, reason)
  }
}
