import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Contract tests start real loopback servers; give them room on 2-core machines.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    sequence: { concurrent: false }
  }
})
