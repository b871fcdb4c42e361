import { defineConfig } from "vitest/config"

/**
 * Test files share their worker's module graph (no per-file isolation): every file builds its own emulators, so
 * nothing leaks, and loading client-node, the Azure SDKs and Effect once per worker instead of once per file is
 * most of the suite's time. Tests that need process-wide state of their own (MSAL's managed-identity source)
 * run that part in a child process.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Contract and end-to-end tests start real loopback servers; give them room on 2-core machines.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    isolate: false,
    poolOptions: { forks: { isolate: false } },
    sequence: { concurrent: false }
  }
})
