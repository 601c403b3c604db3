import { describe, expect, it } from 'vitest';
import { classroomSchema } from '../../../src/classroom/classroom-schema.ts';
import { local } from '../../../src/classroom/providers/local.ts';
import { CLASSROOM_PROVIDERS, PROVIDER_NAMES, createProvider, providerRegistry } from '../../../src/classroom/providers/registry.ts';
import { PROVIDER_SETTINGS } from '../../../src/classroom/providers/registry.ts';

describe('the provider registry', () => {
  it('refuses, at compile time, a provider filed under another name', () => {
    // @ts-expect-error — the key must be the provider's own `name`
    providerRegistry({ mesh: local });
    expect(Object.keys(providerRegistry({ local }))).toEqual(['local']);
  });

  it("builds the drill's classroom from the registry: provider names and each provider's own options", () => {
    expect(PROVIDER_NAMES).toEqual(Object.keys(CLASSROOM_PROVIDERS));
    expect(classroomSchema.shape.provider.unwrap().options).toEqual(PROVIDER_NAMES);
    expect(classroomSchema.parse({ duration: '10s', agora: { codec: 'vp9' } }).agora).toEqual({ mode: 'rtc', codec: 'vp9' });
    expect(Object.keys(PROVIDER_SETTINGS)).toEqual(['agora']);
  });

  it('names an unknown provider with the nearest known one', () => {
    expect(() => createProvider('agra', { classroom: {} })).toThrow("[supportdrill] Unknown classroom provider 'agra' (did you mean 'agora'?); expected one of: local, agora.");
  });

  it("hands a provider the config's settings under its name, secrets resolved by the provider", () => {
    const provider = createProvider('agora', { classroom: {} }, { agora: { appId: 'from-the-config' } });
    expect(provider.name).toBe('agora');
    expect(() => createProvider('agora', { classroom: {} }, { agora: { appId: { env: 'SUPPORTDRILL_TEST_UNSET_APP_ID' } } })).toThrow(
      /agora\.appId needs the environment variable SUPPORTDRILL_TEST_UNSET_APP_ID/,
    );
  });
});
