/**
 * Environment variables that tune the runtime (Node's and glibc's), not the operator: the Deployment sets them,
 * the operator's settings never read them.
 */
export const RUNTIME_ENV: ReadonlySet<string> = new Set(["NODE_OPTIONS", "MALLOC_MMAP_THRESHOLD_"])
