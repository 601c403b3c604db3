import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { ROOT } from '../helpers/cli.ts';

interface ComposeService {
  build?: unknown;
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const service = compose.services.supportdrill!;
const CONFIG_IN_IMAGE = service.environment!.SUPPORTDRILL_CONFIG!;
const raw = JSON.parse(readFileSync(join(ROOT, posix.basename(CONFIG_IN_IMAGE)), 'utf8')) as Record<string, unknown>;
const config = parseConfig(raw, { baseDir: posix.dirname(CONFIG_IN_IMAGE), file: posix.basename(CONFIG_IN_IMAGE) });

/** Every `{ env: NAME }` secret in the config. */
function envRefs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(envRefs);
  if (typeof value !== 'object' || value === null) return [];
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'env') return [(value as { env: string }).env];
  return Object.values(value).flatMap(envRefs);
}

/** The container port of a `host:container` or `ip:host:container` mapping. */
const containerPort = (mapping: string) => Number(mapping.split(':').at(-1));

describe('docker-compose.yml against the config it ships', () => {
  it('builds the service from the Dockerfile, which uses Debian chromium and runs serve with that config', () => {
    expect(service.build).toBeDefined();
    expect(dockerfile).toMatch(/^FROM node:20-bookworm/m);
    expect(dockerfile).toMatch(/apt-get install[^\n]*chromium/);
    expect(dockerfile).toContain('SUPPORTDRILL_CHROME=/usr/bin/chromium');
    expect(dockerfile).toMatch(/CMD \["node", "bin\/supportdrill.mjs", "serve"\]/);
    expect(dockerfile).toContain(posix.basename(CONFIG_IN_IMAGE));
    expect(service.environment!.SUPPORTDRILL_CHROME).toBe('/usr/bin/chromium');
  });

  it('gives the container every environment variable the config reads its secrets from', () => {
    const refs = envRefs(raw);
    expect(refs).toContain('SUPPORTDRILL_HTTP_TOKEN');
    for (const name of refs) expect(Object.keys(service.environment!)).toContain(name);
  });

  it('keeps the data directory on a named volume', () => {
    const mounts = (service.volumes ?? []).map((v) => v.split(':'));
    const data = mounts.find(([, target]) => target === config.dataDir);
    expect(data, `a volume mounted at ${config.dataDir}`).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(data![0]);
  });

  it('listens on all interfaces inside the container with a token, and publishes that port', () => {
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.http.token).toEqual({ env: 'SUPPORTDRILL_HTTP_TOKEN' });
    expect((service.ports ?? []).map(containerPort)).toContain(config.http.port);
    expect(dockerfile).toContain(`EXPOSE ${config.http.port}`);
  });

  it('sends the scorecards to the Mailpit service, whose web UI is published', () => {
    const mailpit = compose.services[config.mail!.smtp!.host];
    expect(mailpit?.image).toMatch(/^axllent\/mailpit/);
    expect(config.mail!.smtp!.port).toBe(1025);
    expect((mailpit!.ports ?? []).map(containerPort)).toContain(8025);
  });
});
