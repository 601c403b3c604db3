import { z } from 'zod';
import { UserError, prefixed } from './errors.ts';

/** A secret kept out of the config file: the name of the environment variable that holds it. */
export interface SecretRef {
  env: string;
}

/** A secret as written in config: the value itself, or `{ env: 'VARIABLE' }` (in TypeScript, `env('VARIABLE')`). */
export type Secret = string | SecretRef;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Refers to an environment variable instead of writing a secret in the config file:
 * `token: env('ZENDESK_TOKEN')`. The variable is read only when the vendor is used.
 */
export function env(name: string): SecretRef {
  return { env: name };
}

function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as SecretRef).env === 'string';
}

/** For adapter option schemas: a secret, left unresolved so that a missing variable only matters when the vendor is used. */
export const secretSchema: z.ZodType<Secret, Secret> = z.custom<Secret>(
  (value) =>
    (typeof value === 'string' && value !== '') ||
    (isSecretRef(value) && ENV_NAME.test(value.env) && Object.keys(value).length === 1),
  { error: "expected the secret as a string, or the environment variable that holds it: { env: 'VARIABLE_NAME' }" },
);

/**
 * The value of a secret. `where` is the option's path in the config, for the error:
 * `vendors.zendesk.token needs the environment variable ZENDESK_TOKEN, which is not set`.
 */
export function resolveSecret(value: unknown, where: string): string {
  if (typeof value === 'string' && value !== '') return value;
  if (isSecretRef(value)) {
    const secret = process.env[value.env];
    if (secret === undefined || secret === '') {
      throw new UserError(prefixed('config', `${where} needs the environment variable ${value.env}, which is not set`));
    }
    return secret;
  }
  if (value === undefined || value === null || value === '') throw new UserError(prefixed('config', `${where} is required`));
  throw new UserError(
    prefixed('config', `${where} must be the secret as a string or { env: 'VARIABLE_NAME' }, got ${JSON.stringify(value)}`),
  );
}
