import { defineConfig } from "vitest/config";

// One test run for the whole repository (`make test`). Unit tests sit beside the code as
// `src/**/x.test.ts`; tests that need Redis, Docker, sockets or the devnet live in `<pkg>/test/`.
// `test/global-setup.ts` starts a private redis-server on a free port for the run.
export default defineConfig({
  test: {
    include: ["*/src/**/*.test.ts", "*/test/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    reporters: ["default"],
  },
});
