import type { DrillInput } from './schema.ts';

/**
 * Declares a drill. It returns its argument unchanged: it exists so that a drill file is typed in
 * the editor. The file is validated when it is loaded.
 */
export function defineDrill<const T extends DrillInput>(drill: T): T {
  return drill;
}
