import { describe, expect, it } from "vitest";
import { Counter } from "prom-client";
import { HealthServer, createLogger, createMetricsRegistry } from "../src/index.js";

describe("HealthServer over a real socket", () => {
  it("serves /healthz, /readyz per component and /metrics with the service labels", async () => {
    const registry = createMetricsRegistry({ service: "collector", chain: "osmosis", product: "redbank" });
    new Counter({ name: "mlb_items_total", help: "items", registers: [registry] }).inc(3);
    let redisReady = false;
    const server = new HealthServer({
      host: "127.0.0.1",
      port: 0,
      registry,
      logger: createLogger({ service: "test", level: "silent" }),
      readiness: { redis: () => redisReady, chain: async () => true },
    });
    const port = await server.listen();
    const base = `http://127.0.0.1:${port}`;
    try {
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok" });

      const notReady = await fetch(`${base}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ status: "not ready", components: { redis: false, chain: true } });
      redisReady = true;
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);

      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('mlb_items_total{service="collector",chain="osmosis",product="redbank"} 3');
      expect(metrics).toContain("process_cpu_user_seconds_total");

      expect((await fetch(`${base}/nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
