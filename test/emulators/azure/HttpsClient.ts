import * as https from "node:https"

/** A bare node:https client for tests that look at the wire itself, trusting the emulator CA. */
export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | Array<string> | undefined>>
  readonly text: string
}

export interface RawRequest {
  readonly method?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  readonly ca: string
}

export const rawRequest = (url: string, request: RawRequest): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: request.method ?? "GET", headers: request.headers, ca: request.ca, agent: false },
      (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (chunk: Buffer) => chunks.push(chunk))
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") })
        )
        res.on("error", reject)
      }
    )
    req.on("error", reject)
    req.end(request.body)
  })
