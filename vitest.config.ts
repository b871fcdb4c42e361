import { defineConfig } from "vitest/config"

/**
 * Test files share their worker's module graph (no per-file isolation): every file builds its own emulators, so
 * nothing leaks, and loading client-node, the Azure SDKs and Effect once per worker instead of once per file is
 * most of the suite's time. The managed-identity tests are the exception: MSAL caches the managed-identity source
 * in a static field for the life of a process, so each runs alone.
 */
const isolated = ["test/emulators/azure/ManagedIdentity*.test.ts"]

export default defineConfig({
  test: {
    // Contract and end-to-end tests start real loopback servers; give them room on 2-core machines.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    sequence: { concurrent: false },
    projects: [
      { extends: true, test: { name: "shared", include: ["test/**/*.test.ts"], exclude: isolated, isolate: false, poolOptions: { forks: { isolate: false } } } },
      { extends: true, test: { name: "isolated", include: isolated, isolate: true } }
    ]
  }
})
