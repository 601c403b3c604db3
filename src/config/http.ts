import { z } from 'zod';
import { secretSchema, type Secret } from '../core/secrets.ts';

/** The HTTP endpoint of `supportdrill serve` after validation. */
export interface HttpConfig {
  host: string;
  port: number;
  /** Required for a non-loopback host: every path but `/healthz` then needs `Authorization: Bearer <token>`. */
  token: Secret | null;
}

export const DEFAULT_HTTP_PORT = 8080;

export const httpSchema = z
  .strictObject({
    /** The address to listen on. Anything but loopback needs `token`. @defaultValue `'127.0.0.1'` */
    host: z.string({ error: "expected an address to listen on, e.g. '127.0.0.1' or '0.0.0.0'" }).min(1).optional(),
    /** @defaultValue 8080; 0 picks a free port */
    port: z.number({ error: 'expected a port number, e.g. 8080' }).int().min(0).max(65_535, { error: 'expected a port number between 0 and 65535' }).optional(),
    /** A bearer token for everything but `/healthz`, preferably `env('SUPPORTDRILL_HTTP_TOKEN')`. */
    token: secretSchema.optional(),
  })
  .transform((http): HttpConfig => ({ host: http.host ?? '127.0.0.1', port: http.port ?? DEFAULT_HTTP_PORT, token: http.token ?? null }));
