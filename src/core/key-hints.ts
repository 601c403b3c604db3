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

/**
 * Every problem of a file, one line each: `file › field › what was wrong`. `knownKeys` maps a
 * path (as formatted) to the keys allowed there, so a typo gets a "did you mean" hint.
 */
export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[], knownKeys?: (path: readonly PropertyKey[]) => readonly string[]): string {
  const lines = issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys
        .map((key) => {
          const hint = knownKeys ? suggestKey(key, knownKeys(issue.path)) : undefined;
          const where = formatPath([...issue.path, key]);
          return `  ${file} › ${where} › unknown key${hint ? ` (did you mean '${hint}'?)` : ''}`;
        })
        .join('\n');
    }
    return `  ${file} › ${formatPath(issue.path)} › ${issue.message}`;
  });
  return lines.join('\n');
}
