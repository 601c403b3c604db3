import type { z } from 'zod';

/** A zod issue's path as users write it: `faults[0].kind`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out || '(top level)';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The closest known key to a mistyped one, when it is close enough to be a typo. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Keys declared by hand for schemas the walker cannot see into (a custom transform over `unknown`). */
const declaredKeys = new WeakMap<object, readonly string[]>();

/** Declares the keys an opaque schema accepts, so {@link knownKeys} can offer them as hints. */
export function withKnownKeys<S extends z.ZodType>(schema: S, keys: readonly string[]): S {
  declaredKeys.set(schema, keys);
  return schema;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  in?: z.ZodType;
  innerType?: z.ZodType;
  options?: readonly z.ZodType[];
  valueType?: z.ZodType;
  element?: z.ZodType;
  getter?: () => z.ZodType;
}

/**
 * The keys a schema allows at `path` (an issue's path), for "did you mean" hints: it looks through
 * objects, optional and default wrappers, pipes, unions (every option's keys), records and arrays.
 * Empty where nothing can be said.
 */
export function knownKeys(schema: z.ZodType | undefined, path: readonly PropertyKey[], depth = 0): string[] {
  if (!schema || depth > 64) return [];
  const declared = declaredKeys.get(schema);
  if (declared) return path.length === 0 ? [...declared] : [];
  const def = (schema as unknown as { _zod?: { def?: SchemaDef } })._zod?.def;
  if (!def) return [];
  const [head, ...rest] = path;
  switch (def.type) {
    case 'object':
      return path.length === 0 ? Object.keys(def.shape ?? {}) : knownKeys(def.shape?.[String(head)], rest, depth + 1);
    case 'pipe':
      return knownKeys(def.in, path, depth + 1);
    case 'optional':
    case 'nonoptional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'catch':
    case 'readonly':
      return knownKeys(def.innerType, path, depth + 1);
    case 'union':
      return [...new Set((def.options ?? []).flatMap((option) => knownKeys(option, path, depth + 1)))];
    case 'record':
      return path.length === 0 ? [] : knownKeys(def.valueType, rest, depth + 1);
    case 'array':
      return typeof head === 'number' ? knownKeys(def.element, rest, depth + 1) : [];
    case 'lazy':
      return def.getter ? knownKeys(def.getter(), path, depth + 1) : [];
    default:
      return [];
  }
}

/**
 * Every problem of a file, one line each: `file › field › what was wrong`. A typo among a schema's
 * keys gets a "did you mean" hint from the keys `schema` allows at that place.
 */
export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[], schema?: z.ZodType): string {
  const lines = issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys
        .map((key) => {
          const hint = schema ? suggestKey(key, knownKeys(schema, issue.path)) : undefined;
          const where = formatPath([...issue.path, key]);
          return `  ${file} › ${where} › unknown key${hint ? ` (did you mean '${hint}'?)` : ''}`;
        })
        .join('\n');
    }
    return `  ${file} › ${formatPath(issue.path)} › ${issue.message}`;
  });
  return lines.join('\n');
}
