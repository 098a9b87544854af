import type { Component } from "../runtime/service-shell.js";
import type { QueueConsumer } from "./queue-consumer.js";

/**
 * Runs a queue consumer as a component of a service: started with the service, and stopped on
 * SIGTERM with `deadlineMs` for its in-flight items to finish before they are returned to pending.
 */
export function consumerComponent<T>(name: string, consumer: QueueConsumer<T>, deadlineMs: number): Component {
  return {
    name,
    start: () => consumer.start(),
    stop: async () => {
      await consumer.stop({ deadlineMs });
    },
  };
}
