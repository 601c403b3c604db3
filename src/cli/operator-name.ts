import { userInfo } from 'node:os';

/** Who the operator is in what they record or send: `--by NAME`, else the login name. */
export function operatorName(by?: string): string {
  if (by?.trim()) return by.trim();
  try {
    return userInfo().username;
  } catch {
    return 'operator';
  }
}
