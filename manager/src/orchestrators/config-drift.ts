/**
 * Helpers the ECS and Kubernetes backends share to decide whether a workload's running
 * configuration (image, environment) differs from its spec, without ever printing a value.
 */

/**
 * JSON with object keys sorted and name-keyed lists (`environment`, `env`, `secrets`) sorted by
 * `name`, so two descriptions of the same configuration compare equal whatever order the API
 * returned them in. Such lists are recognised by their key: pass them inside their parent object.
 * An empty list counts as absent (APIs return `[]` for what was never set). For comparison only;
 * never log the result (it holds env values).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (Array.isArray(v) && v.length === 0) return undefined;
    if (Array.isArray(v) && NAME_KEYED_LISTS.has(key)) {
      return [...(v as { name?: string }[])].sort((a, b) => compare(a.name ?? "", b.name ?? ""));
    }
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => compare(a, b)));
    }
    return v;
  });
}

const NAME_KEYED_LISTS = new Set(["environment", "env", "secrets"]);

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The keys whose values differ between two objects (by {@link canonicalJson}); names only, safe to log. */
export function changedKeys(before: object, after: object): string[] {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  // Wrapped so that a name-keyed list is recognised by its key.
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => canonicalJson({ [k]: b[k] }) !== canonicalJson({ [k]: a[k] })).sort();
}

/**
 * Env names that look secret (mnemonic, password, key, token) but are written as plain values
 * because no secret reference was configured for them; the backends warn about these by name.
 */
export function plainSecretNames(env: Record<string, string>, referenced: Iterable<string>): string[] {
  const refs = new Set(referenced);
  return Object.keys(env).filter((name) => SECRET_LIKE.test(name) && !refs.has(name)).sort();
}

const SECRET_LIKE = /MNEMONIC|PASSWORD|SECRET|PRIVATE_KEY|API_KEY|TOKEN/i;
