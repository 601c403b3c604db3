/**
 * Every classroom provider, by the name a drill's `classroom.provider` uses, in one explicit list.
 * Adding a provider is its own file in this folder plus one entry here; the drill schema (provider
 * names and `classroom.<name>` options), the config's `<name>` settings and `--provider` come from it.
 */
import type { z } from 'zod';
import { UserError, prefixed } from '../../core/errors.ts';
import { suggestKey } from '../../core/key-hints.ts';
import { agora } from './agora.ts';
import { local } from './local.ts';
import type { ClassroomProvider, ProviderDrill, ProviderKind } from './provider.ts';

/** A registry whose every key is its provider's `name`, so an entry filed under the wrong name fails to compile. */
export function providerRegistry<const R extends { [K in keyof R]: ProviderKind<K & string, any, any> }>(providers: R): R {
  return providers;
}

export const CLASSROOM_PROVIDERS = providerRegistry({ local, agora });

export type ProviderName = keyof typeof CLASSROOM_PROVIDERS;

export const PROVIDER_NAMES = Object.keys(CLASSROOM_PROVIDERS) as [ProviderName, ...ProviderName[]];

type Part<K extends ProviderName, P extends 'drillOptions' | 'settings'> = NonNullable<(typeof CLASSROOM_PROVIDERS)[K][P]>;

/** `classroom.<name>` option schemas of the providers that have them, keyed by provider name. */
export type ProviderDrillOptionShapes = {
  [K in ProviderName as [Part<K, 'drillOptions'>] extends [never] ? never : K]: z.ZodOptional<Part<K, 'drillOptions'>>;
};

/** Config `<name>` setting schemas of the providers that have them, keyed by provider name. */
export type ProviderSettingShapes = {
  [K in ProviderName as [Part<K, 'settings'>] extends [never] ? never : K]: z.ZodOptional<Part<K, 'settings'>>;
};

export const PROVIDER_DRILL_OPTIONS = Object.fromEntries(
  Object.values(CLASSROOM_PROVIDERS).flatMap((p: ProviderKind) => (p.drillOptions ? [[p.name, p.drillOptions.optional()]] : [])),
) as ProviderDrillOptionShapes;

export const PROVIDER_SETTINGS = Object.fromEntries(
  Object.values(CLASSROOM_PROVIDERS).flatMap((p: ProviderKind) => (p.settings ? [[p.name, p.settings.optional()]] : [])),
) as ProviderSettingShapes;

/** `--provider` help: one line per provider. */
export function providerChoices(): string {
  return Object.values(CLASSROOM_PROVIDERS).map((p: ProviderKind) => `${p.name} (${p.summary})`).join(', ');
}

/**
 * The provider a run's class uses. `settings` are the config's entries by provider name (validated,
 * secrets unresolved); a provider without an entry reads its defaults (e.g. environment variables).
 */
export function createProvider(name: string, drill: ProviderDrill, settings: object = {}): ClassroomProvider {
  if (!Object.hasOwn(CLASSROOM_PROVIDERS, name)) {
    const hint = suggestKey(name, PROVIDER_NAMES);
    throw new UserError(prefixed(undefined, `Unknown classroom provider '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; expected one of: ${PROVIDER_NAMES.join(', ')}.`));
  }
  const kind = CLASSROOM_PROVIDERS[name as ProviderName] as ProviderKind;
  return kind.create(drill, ((settings as Record<string, unknown>)[name] ?? null) as never);
}
