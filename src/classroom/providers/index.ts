import { UserError } from '../../core/errors.ts';
import type { Drill } from '../../drill/schema.ts';
import type { ClassroomProvider } from '../provider.ts';
import { agoraProvider } from './agora.ts';
import { localProvider } from './local.ts';

type ProviderFactory = (drill: Drill) => ClassroomProvider;

/** Every classroom provider, by the name a drill's `classroom.provider` uses. */
export const PROVIDERS = {
  local: () => localProvider(),
  agora: (drill) => agoraProvider(drill),
} satisfies Record<string, ProviderFactory>;

export function createProvider(name: string, drill: Drill): ClassroomProvider {
  const factory = (PROVIDERS as Record<string, ProviderFactory>)[name];
  if (!factory) {
    throw new UserError(`[supportdrill] Unknown classroom provider '${name}'; expected one of: ${Object.keys(PROVIDERS).join(', ')}.`);
  }
  return factory(drill);
}
