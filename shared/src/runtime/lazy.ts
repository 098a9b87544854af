/**
 * A value built on first use and shared afterwards; a build that fails is forgotten, so the next use
 * tries again (e.g. contract addresses read from a node that was down at start).
 */
export function lazy<T>(build: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () =>
    (value ??= build().catch((err: unknown) => {
      value = undefined;
      throw err;
    }));
}
