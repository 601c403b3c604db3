import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkClassroomServer, checkProbe, SKIP_GATEWAYS_ENV } from '../../src/classroom/probe-check.ts';
import { AGORA_GATEWAYS, agoraProvider } from '../../src/classroom/providers/agora.ts';
import { UserError } from '../../src/core/errors.ts';

type Interfaces = ReturnType<typeof networkInterfaces>;
const UP: Interfaces = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  eth0: [{ address: '192.0.2.2', netmask: '255.255.255.0', family: 'IPv4', mac: '02:fc:00:00:00:01', internal: false, cidr: '192.0.2.2/24' }],
};
const LOOPBACK_ONLY: Interfaces = { lo: UP.lo };

/** A port on 127.0.0.1 that nothing listens on: one a server had a moment ago. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the probe connectivity check', () => {
  let open: Server;
  let openPort: number;
  beforeAll(async () => {
    open = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => open.listen(0, '127.0.0.1', resolve));
    openPort = (open.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => open.close(resolve)));

  const cloud = (port: number) => ({ name: 'acme-rtc', gateways: [{ host: '127.0.0.1', port }] });

  it('passes when the network is up and a gateway answers', async () => {
    await expect(checkProbe(cloud(openPort), { when: 'before the class', interfaces: () => UP, env: {} })).resolves.toBeUndefined();
  });

  it('passes when one of several gateways answers', async () => {
    const provider = { name: 'acme-rtc', gateways: [{ host: '127.0.0.1', port: await closedPort() }, { host: '127.0.0.1', port: openPort }] };
    await expect(checkProbe(provider, { when: 'before the class', interfaces: () => UP, env: {} })).resolves.toBeUndefined();
  });

  it('fails fast on a closed port, naming the host:port, the moment and what to check', async () => {
    const port = await closedPort();
    const started = Date.now();
    const failure = checkProbe(cloud(port), { when: 'before the class', interfaces: () => UP, env: {} });
    await expect(failure).rejects.toBeInstanceOf(UserError);
    await expect(failure).rejects.toThrow(
      new RegExp(`^\\[supportdrill\\] \\[acme-rtc\\] The acme-rtc gateway cannot be reached from this machine before the class: 127\\.0\\.0\\.1:${port} refused the connection\\. Nothing is filed: the probe, not the vendor, is cut off\\. Check this machine's internet access, DNS, proxy and firewall \\(TCP ${port} outbound\\)`),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await failure.catch((err: UserError) => err.exitCode)).toBe(2);
  });

  it('gives up on a gateway that does not answer within the timeout', async () => {
    // 192.0.2.0/24 is TEST-NET-1: nothing routes there, so the connect hangs (or fails at once without a route).
    const failure = checkProbe({ name: 'acme-rtc', gateways: [{ host: '192.0.2.123', port: 443 }] }, { when: 'before filing', interfaces: () => UP, env: {}, timeoutMs: 300 });
    await expect(failure).rejects.toThrow(/192\.0\.2\.123:443 (did not answer within 0\.3 s|is unreachable|failed)/);
  });

  it("fails when no interface but loopback has an address, whatever the provider", async () => {
    await expect(checkProbe({ name: 'local' }, { when: 'before filing', interfaces: () => LOOPBACK_ONLY, env: {} })).rejects.toThrow(
      /^\[supportdrill\] \[probe\] This machine's network is down before filing: no interface but loopback has an address\. Nothing is filed/,
    );
  });

  it('checks no gateway for a provider that declares none, nor when told to skip the connect', async () => {
    await expect(checkProbe({ name: 'local' }, { when: 'before the class', interfaces: () => UP, env: {} })).resolves.toBeUndefined();
    const port = await closedPort();
    await expect(checkProbe(cloud(port), { when: 'before the class', interfaces: () => UP, env: { [SKIP_GATEWAYS_ENV]: '1' } })).resolves.toBeUndefined();
    await expect(checkProbe(cloud(port), { when: 'before the class', interfaces: () => UP, env: { [SKIP_GATEWAYS_ENV]: '0' } })).rejects.toThrow(/refused/);
  });

  it("checks the classroom server a provider started on this machine", async () => {
    await expect(checkClassroomServer(`http://127.0.0.1:${openPort}/classroom.html?room=r`, 'before the class')).resolves.toBeUndefined();
    const port = await closedPort();
    await expect(checkClassroomServer(`http://127.0.0.1:${port}/classroom.html`, 'before the class')).rejects.toThrow(
      new RegExp(`The classroom server on this machine \\(127\\.0\\.0\\.1:${port}\\) does not answer before the class: it refused the connection`),
    );
  });

  it("declares Agora's web gateways on the real SDK, none on its test double", () => {
    const drill = { classroom: {} };
    expect(agoraProvider(drill, { credentials: { appId: 'x' } }).gateways).toEqual(AGORA_GATEWAYS);
    expect(AGORA_GATEWAYS.map((g) => `${g.host}:${g.port}`)).toContain('webrtc2-ap-web-1.agora.io:443');
    expect(agoraProvider(drill, { credentials: { appId: 'x' }, sdkModule: '/double.ts' }).gateways).toBeUndefined();
  });
});
