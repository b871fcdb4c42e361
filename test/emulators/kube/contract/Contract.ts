import * as k8s from "@kubernetes/client-node"
import type { KubeEmulatorOptions } from "../../../../src/emulators/kube/KubeEmulator.ts"
import { eventually, odaCrd, startHarness, type Harness } from "../Harness.ts"

/**
 * Shared fixtures of the client-node contract suite: a second CRD (Widget) that declares the status subresource,
 * defaults and validation, and a recorder for raw `Watch` streams.
 */

export const WIDGET_GROUP = "test.example.com"
export const widgets = { group: WIDGET_GROUP, version: "v1", plural: "widgets" } as const

/** Built with `loadYaml`: client-node's serializer drops `x-kubernetes-*` keys given as plain objects. */
export const widgetCrd = (): k8s.V1CustomResourceDefinition =>
  k8s.loadYaml<k8s.V1CustomResourceDefinition>(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.${WIDGET_GROUP}
spec:
  group: ${WIDGET_GROUP}
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget, listKind: WidgetList }
  versions:
  - name: v1
    served: true
    storage: true
    subresources: { status: {} }
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: { type: integer, minimum: 1, maximum: 10 }
              color: { type: string, enum: [blue, red, green], default: blue }
              name: { type: string, maxLength: 8, pattern: "^[a-z]+$" }
              tags: { type: array, items: { type: string } }
              extra: { type: object, x-kubernetes-preserve-unknown-fields: true }
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
  - name: v1beta1
    served: true
    storage: false
    subresources: { status: {} }
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
  - name: v1alpha1
    served: false
    storage: false
    schema:
      openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true }
`)

/** The ODA ExposedAPI CRD: no status subresource. */
export const exposedApis = { group: "oda.tmforum.org", version: "v1", plural: "exposedapis" } as const

/** An emulator for one test file, with the Widget CRD (and optionally the ODA ExposedAPI CRD) established. */
export const startWidgetHarness = async (options: KubeEmulatorOptions = {}, withOda = false): Promise<Harness> => {
  const harness = await startHarness(options)
  await harness.extensions.createCustomResourceDefinition({ body: widgetCrd() })
  if (withOda) await harness.extensions.createCustomResourceDefinition({ body: odaCrd() })
  return harness
}

/** A failure Status body exactly as kube-apiserver writes it. */
export const failureStatus = (code: number, reason: string, message: string, details?: Record<string, unknown>) => ({
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message,
  reason,
  ...(details === undefined ? {} : { details }),
  code
})

export interface WidgetSpec {
  readonly size: number
  readonly color?: string
  readonly name?: string
  readonly tags?: ReadonlyArray<string>
  readonly extra?: Record<string, unknown>
}

export const widget = (
  name: string,
  spec: WidgetSpec = { size: 1 },
  metadata: Record<string, unknown> = {},
  extra: Record<string, unknown> = {}
) => ({
  apiVersion: `${WIDGET_GROUP}/v1`,
  kind: "Widget",
  metadata: { name, ...metadata },
  spec,
  ...extra
})

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

/** A nested field of a JSON value, undefined when any step is missing. */
export const at = (value: unknown, ...path: ReadonlyArray<string | number>): unknown => {
  let current = value
  for (const key of path) current = isRecord(current) ? current[key] : undefined
  return current
}

export const nameOf = (object: unknown): string => String(at(object, "metadata", "name") ?? "")
export const rvOf = (object: unknown): string => String(at(object, "metadata", "resourceVersion") ?? "")

export interface SeenEvent {
  readonly type: string
  readonly object: unknown
}

/** One raw client-node `Watch`: every event it delivered, and how it ended. */
export class WatchRecorder {
  readonly events: Array<SeenEvent> = []
  private ending: { readonly error: unknown } | undefined
  private controller: AbortController | undefined

  static async open(kc: k8s.KubeConfig, path: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<WatchRecorder> {
    const recorder = new WatchRecorder()
    recorder.controller = await new k8s.Watch(kc).watch(
      path,
      query,
      (type: string, object: unknown) => {
        recorder.events.push({ type, object })
      },
      (error: unknown) => {
        recorder.ending = { error }
      }
    )
    return recorder
  }

  get ended(): boolean {
    return this.ending !== undefined
  }

  /** What `done` was called with (null for a clean end); undefined while the watch is open. */
  get endError(): unknown {
    return this.ending?.error
  }

  /** Events other than BOOKMARK, as `TYPE name` lines. */
  summary(): ReadonlyArray<string> {
    return this.events.filter((e) => e.type !== "BOOKMARK").map((e) => `${e.type} ${nameOf(e.object)}`)
  }

  /** Waits for the first event (after `from`) that satisfies the predicate. */
  async next(predicate: (event: SeenEvent) => boolean, from = 0): Promise<SeenEvent> {
    return eventually(() => this.events.slice(from).find(predicate))
  }

  /** Waits for an event of this type about the named object. */
  async nextAbout(type: string, name: string): Promise<SeenEvent> {
    return this.next((e) => e.type === type && nameOf(e.object) === name)
  }

  async untilEnded(): Promise<unknown> {
    await eventually(() => (this.ending === undefined ? undefined : true))
    return this.ending?.error
  }

  close(): void {
    this.controller?.abort()
  }
}
