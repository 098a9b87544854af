import { Writable } from "node:stream";
import { createLogger, type Logger } from "@mlb/shared";

/** Log output captured in memory: the raw text (to search for leaks) and the parsed lines. */
export interface LogSink {
  logger: Logger;
  lines: Record<string, unknown>[];
  /** Everything written, as one string. */
  text(): string;
}

/** A debug-level logger whose JSON lines land in memory (pino's test/helper.js habit). */
export function memoryLogger(): LogSink {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw.push(chunk.toString("utf8"));
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ service: "manager", level: "debug", destination }), lines, text: () => raw.join("") };
}
