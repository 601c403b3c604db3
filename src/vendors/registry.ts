/**
 * Every vendor adapter kind, in one explicit list. Adding an adapter is its own file plus one entry
 * here; an adapter that does not fit the interface, or is filed under another kind, fails to compile.
 */
import { UserError, prefixed } from '../core/errors.ts';
import {
  COMMON_VENDOR_KEYS,
  optionProblems,
  parseVendorOptions,
  type OptionProblem,
  type VendorAdapter,
  type VendorContext,
  type VendorRegistration,
} from './adapter.ts';
import { emailAdapter } from './email.ts';
import { sandboxAdapter } from './sandbox.ts';
import { zendeskAdapter } from './zendesk.ts';

/** A registry whose every key is its adapter's `kind`, so an entry filed under the wrong name fails to compile. */
export function vendorAdapterRegistry<const R extends { [K in keyof R]: VendorRegistration<any, K & string> }>(adapters: R): R {
  return adapters;
}

export const VENDOR_ADAPTERS = vendorAdapterRegistry({
  sandbox: sandboxAdapter,
  email: emailAdapter,
  zendesk: zendeskAdapter,
});

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

/**
 * The problems of a vendor entry's adapter part: an unknown adapter kind, or options its schema
 * refuses. Paths are relative to the entry. The config reports them when it loads.
 */
export function adapterOptionProblems(kind: string, rawEntry: unknown): OptionProblem[] {
  if (!isVendorKind(kind)) return [{ path: ['adapter'], message: `unknown adapter '${kind}'; known adapters: ${VENDOR_KINDS.join(', ')}` }];
  const registration: VendorRegistration<any> = VENDOR_ADAPTERS[kind];
  return optionProblems(registration.optionsSchema, adapterOptions(rawEntry, registration));
}

/** Whether `drill` waits for a vendor of this adapter kind by default (see {@link VendorRegistration.waitByDefault}). */
export function waitsByDefault(kind: string): boolean {
  return isVendorKind(kind) && (VENDOR_ADAPTERS[kind] as VendorRegistration<any>).waitByDefault === true;
}

function adapterOptions(rawOptions: unknown, registration: VendorRegistration<any>): unknown {
  if (typeof rawOptions !== 'object' || rawOptions === null || Array.isArray(rawOptions)) return rawOptions;
  const kept = new Set<string>(registration.commonOptions ?? []);
  return Object.fromEntries(
    Object.entries(rawOptions).filter(([key]) => kept.has(key) || !(COMMON_VENDOR_KEYS as readonly string[]).includes(key)),
  );
}
