import type { TestProject } from "vitest/node";
import { startRedisServer } from "./support/redis-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the Redis shared by the whole test run (`redis://127.0.0.1:<port>`). */
    redisUrl: string;
  }
}

/**
 * vitest globalSetup: one private redis-server for the whole run, handed to tests as
 * `inject("redisUrl")`. Set `TEST_REDIS_URL` to use a Redis you started yourself instead.
 * Tests isolate themselves with a unique key namespace each (`test/support/redis.ts`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_REDIS_URL;
  if (external) {
    project.provide("redisUrl", external);
    return async () => {};
  }
  const server = await startRedisServer();
  project.provide("redisUrl", server.url);
  return async () => {
    await server.stop();
  };
}
