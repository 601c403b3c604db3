/**
 * Every vendor adapter kind, in one explicit list. Adding an adapter is its own file plus one entry
 * here; `satisfies` makes an adapter that does not fit the interface fail to compile.
 */
import { UserError, prefixed } from '../core/errors.ts';
import { COMMON_VENDOR_KEYS, parseVendorOptions, type VendorAdapter, type VendorContext, type VendorRegistration } from './adapter.ts';
import * as email from './email.ts';
import * as sandbox from './sandbox.ts';
import * as zendesk from './zendesk.ts';

export const VENDOR_ADAPTERS = {
  sandbox: { factory: sandbox.default, optionsSchema: sandbox.sandboxOptionsSchema, commonOptions: ['timezone', 'businessHours'] },
  email: { factory: email.default, optionsSchema: email.emailOptionsSchema },
  zendesk: { factory: zendesk.default, optionsSchema: zendesk.zendeskOptionsSchema },
} satisfies Record<string, VendorRegistration<any>>;

export type VendorKind = keyof typeof VENDOR_ADAPTERS;

/** The adapter kinds this build knows, in registry order. */
export const VENDOR_KINDS = Object.keys(VENDOR_ADAPTERS) as VendorKind[];

export function isVendorKind(kind: string): kind is VendorKind {
  return Object.hasOwn(VENDOR_ADAPTERS, kind);
}

/**
 * Creates the adapter of kind `kind` from a vendor entry's options, validating them with the adapter's
 * schema first. `rawOptions` may be the whole vendor entry: the keys every entry has (`adapter`,
 * `pollInterval`, `sla`, `timezone`, `businessHours`) are left to the config unless the adapter reads
 * them too.
 */
export function createVendorAdapter(kind: string, rawOptions: unknown, context: VendorContext): VendorAdapter {
  if (!isVendorKind(kind)) {
    throw new UserError(
      prefixed(undefined, `vendors.${context.vendorName}.adapter: unknown adapter '${kind}'; known adapters: ${VENDOR_KINDS.join(', ')}`),
    );
  }
  const registration: VendorRegistration<any> = VENDOR_ADAPTERS[kind];
  const options = adapterOptions(rawOptions, registration);
  parseVendorOptions(registration.optionsSchema, options, { kind, vendorName: context.vendorName });
  return registration.factory(options, context);
}

function adapterOptions(rawOptions: unknown, registration: VendorRegistration<any>): unknown {
  if (typeof rawOptions !== 'object' || rawOptions === null || Array.isArray(rawOptions)) return rawOptions;
  const kept = new Set<string>(registration.commonOptions ?? []);
  return Object.fromEntries(
    Object.entries(rawOptions).filter(([key]) => kept.has(key) || !(COMMON_VENDOR_KEYS as readonly string[]).includes(key)),
  );
}
