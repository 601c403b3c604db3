import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { UserError, prefixed } from '../core/errors.ts';
import type { ClassroomProvider, Gateway } from './providers/provider.ts';

/** How long one TCP connect to a gateway may take: a reachable one answers in well under a second. */
export const GATEWAY_TIMEOUT_MS = 3000;

/**
 * Skips the gateway connect (not the rest of the check): for a probe that reaches its provider
 * only through a proxy, where a direct TCP connect fails although the class would not.
 */
export const SKIP_GATEWAYS_ENV = 'SUPPORTDRILL_SKIP_GATEWAY_CHECK';

export interface ProbeCheckOptions {
  /** What the check is for, in the message: `before the class`, `before filing`. */
  when: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** The machine's interfaces; tests give their own. */
  interfaces?: () => ReturnType<typeof networkInterfaces>;
}

/**
 * Whether this probe can measure a vendor fairly: its network is up (an interface other than
 * loopback with an address: Chromium and the local SFU gather ICE candidates only there), its
 * classroom server answers, and a cloud provider's gateway can be reached (any one of the hosts
 * it declares). Throws the set-up error naming what failed and what to check: a broken probe must
 * never file a ticket against a vendor.
 */
export async function checkProbe(provider: Pick<ClassroomProvider, 'name' | 'gateways'>, options: ProbeCheckOptions): Promise<void> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? GATEWAY_TIMEOUT_MS;
  const addresses = Object.entries((options.interfaces ?? networkInterfaces)()).flatMap(([name, list]) =>
    (list ?? []).filter((a) => !a.internal && (a.family === 'IPv4' || a.family === 'IPv6')).map((a) => `${name} ${a.address}`),
  );
  if (!addresses.length) {
    throw new UserError(
      prefixed('probe', `This machine's network is down ${options.when}: no interface but loopback has an address. ` +
        `Nothing is filed: a class measured on a probe without a network says nothing about the vendor. Check the machine's network (\`ip addr\`) and run the drill again.`),
    );
  }
  const gateways = provider.gateways ?? [];
  if (!gateways.length || isOn(env[SKIP_GATEWAYS_ENV])) return;
  const failures = await Promise.all(gateways.map(async (gateway) => ({ gateway, failure: await tcpConnect(gateway, timeoutMs) })));
  if (failures.some((f) => f.failure === null)) return;
  throw new UserError(
    prefixed(provider.name, `The ${provider.name} gateway cannot be reached from this machine ${options.when}: ` +
      failures.map((f) => `${hostPort(f.gateway)} ${f.failure!}`).join('; ') +
      `. Nothing is filed: the probe, not the vendor, is cut off. Check this machine's internet access, DNS, proxy and firewall ` +
      `(TCP ${[...new Set(gateways.map((g) => g.port))].join(', ')} outbound); behind a proxy the class may still work: ${SKIP_GATEWAYS_ENV}=1 skips this connect.`),
  );
}

/**
 * Whether the classroom server a provider started on this machine answers, from the page URL it
 * gives: the pages load from it, and the local classroom signals through it.
 */
export async function checkClassroomServer(pageUrl: string, when: string, timeoutMs = GATEWAY_TIMEOUT_MS): Promise<void> {
  const url = new URL(pageUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
  const server = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
  const failure = await tcpConnect(server, timeoutMs);
  if (failure) {
    throw new UserError(
      prefixed('probe', `The classroom server on this machine (${hostPort(server)}) does not answer ${when}: it ${failure}. ` +
        'Nothing was injected and nothing is filed. Check for a firewall on the loopback interface, or a limit on open files.'),
    );
  }
}

/** `null` when a TCP connection opened within the timeout, else what went wrong in a few words. */
export function tcpConnect(gateway: Gateway, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: gateway.host, port: gateway.port });
    const timer = setTimeout(() => finish(`did not answer within ${timeoutMs / 1000} s`), timeoutMs);
    socket.once('connect', () => finish(null));
    socket.once('error', (err: NodeJS.ErrnoException) => finish(describe(err)));
    function finish(failure: string | null) {
      clearTimeout(timer);
      socket.destroy();
      resolve(failure);
    }
  });
}

function describe(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'has no address (DNS lookup failed)';
    case 'ECONNREFUSED':
      return 'refused the connection';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'is unreachable (no route)';
    default:
      return `failed (${err.code ?? err.message})`;
  }
}

function hostPort(gateway: Gateway): string {
  return gateway.host.includes(':') ? `[${gateway.host}]:${gateway.port}` : `${gateway.host}:${gateway.port}`;
}

function isOn(value: string | undefined): boolean {
  return value !== undefined && !['', '0', 'false', 'no', 'off'].includes(value.trim().toLowerCase());
}
