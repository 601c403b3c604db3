import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.ts';
import { connectJanus } from '../../../src/classroom/providers/janus-api.ts';
import { findJanus, iceAddress, LogTail, requireJanus, startJanus } from '../../../src/classroom/providers/janus-server.ts';

// A real Janus (Debian's janus package), started and stopped by each test: `npm run setup` as root installs it.

/** Whether something accepts TCP connections at host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const portOf = (url: string) => Number(new URL(url).port);

/** A janus stand-in laid out like a source build (`<prefix>/bin/janus`, `<prefix>/lib/janus/…`) that never answers. */
function silentJanus(script: string): string {
  const prefix = mkdtempSync(join(tmpdir(), 'supportdrill-fake-janus-'));
  for (const [dir, file] of [['plugins', 'libjanus_videoroom.so'], ['transports', 'libjanus_websockets.so']]) {
    mkdirSync(join(prefix, 'lib', 'janus', dir!), { recursive: true });
    writeFileSync(join(prefix, 'lib', 'janus', dir!, file!), '');
  }
  mkdirSync(join(prefix, 'bin'));
  const binary = join(prefix, 'bin', 'janus');
  writeFileSync(binary, `#!${process.execPath}\n${script}\n`);
  chmodSync(binary, 0o755);
  return binary;
}

const janusTemps = () => readdirSync(tmpdir()).filter((d) => d.startsWith('supportdrill-janus-'));

describe('startJanus', () => {
  it('starts Janus on 127.0.0.1 with a config of its own, answers info with its version, and stops clean', async () => {
    const before = new Set(janusTemps());
    const janus = await startJanus();
    try {
      console.info(`[janus] started in ${janus.startupMs} ms`);
      expect(janus.startupMs).toBeLessThan(10_000);
      const installed = spawnSync(findJanus()!, ['--version'], { encoding: 'utf8' }).stdout;
      expect(installed).toContain(`(${janus.version})`);
      expect(janus.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);

      const api = await connectJanus(janus.url);
      expect(await api.info()).toEqual({ version: janus.version, localIp: janus.iceAddress });
      api.close();

      // Its APIs answer on loopback only, not on the machine's own address.
      expect(await accepts('127.0.0.1', portOf(janus.adminUrl))).toBe(true);
      expect(await accepts(janus.iceAddress, portOf(janus.url))).toBe(false);
      expect(await accepts(janus.iceAddress, portOf(janus.adminUrl))).toBe(false);

      // One temporary config: the videoroom and WebSockets only, ICE on one address, no STUN.
      const [dir] = janusTemps().filter((d) => !before.has(d));
      const config = readFileSync(join(tmpdir(), dir!, 'janus.jcfg'), 'utf8');
      expect(config).toMatch(/disable = "[^"]*libjanus_streaming\.so[^"]*"/);
      expect(config).not.toMatch(/disable = "[^"]*libjanus_(videoroom|websockets)\.so/);
      expect(config).toContain(`ice_enforce_list = "${janus.iceAddress}"`);
      expect(config).not.toMatch(/stun_server|turn_server/);
      expect(janus.iceAddress).toBe(iceAddress());
    } finally {
      await janus.stop();
    }
    expect(await accepts('127.0.0.1', portOf(janus.url))).toBe(false);
    expect(janusTemps().filter((d) => !before.has(d))).toEqual([]);
  }, 30_000);

  it('gives up on a Janus that never answers, with its last words, and kills one that ignores SIGTERM', async () => {
    const binary = silentJanus("process.on('SIGTERM', () => {}); console.error('[ERR] could not bind the WebSockets port'); setInterval(() => {}, 1000);");
    const started = Date.now();
    const error = await startJanus({ binary, startTimeoutMs: 1500, stopGraceMs: 300 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/^\[supportdrill\] \[janus\] Janus \(.*\/bin\/janus\) did not start: no answer to 'info' on ws:\/\/127\.0\.0\.1:\d+ within 1500 ms/);
    expect((error as Error).message).toContain('could not bind the WebSockets port');
    // SIGTERM ignored: killed after the grace period, not left running.
    expect(Date.now() - started).toBeGreaterThan(1500);
    const running = spawnSync('pgrep', ['-f', binary]).stdout.toString().trim();
    expect(running).toBe('');
  }, 20_000);

  it('says how a Janus that exits at once ended', async () => {
    const binary = silentJanus("console.error('[FATAL] no transports'); process.exit(1);");
    await expect(startJanus({ binary })).rejects.toThrow(/did not start: it ended \(exit 1\) before answering.*\n.*\[FATAL\] no transports/s);
  });
});

describe('finding Janus', () => {
  it('names the install command when there is none', () => {
    expect(() => requireJanus({}, ['/nonexistent/janus'])).toThrow(UserError);
    expect(() => requireJanus({}, ['/nonexistent/janus'])).toThrow(
      /^\[supportdrill\] \[janus\] The SFU classroom needs the Janus media server, which is not installed \(looked in \/nonexistent\/janus\)\. Install it with `sudo apt-get install -y janus` \(or `npm run setup` as root\)/,
    );
    expect(findJanus({}, ['/nonexistent/janus'])).toBeUndefined();
  });

  it('takes SUPPORTDRILL_JANUS, and refuses one that names nothing runnable', () => {
    const binary = findJanus()!;
    expect(existsSync(binary)).toBe(true);
    expect(findJanus({ SUPPORTDRILL_JANUS: binary }, [])).toBe(binary);
    expect(() => findJanus({ SUPPORTDRILL_JANUS: '/nonexistent/janus' })).toThrow(/SUPPORTDRILL_JANUS names '\/nonexistent\/janus', but there is no executable there\..*sudo apt-get install -y janus/);
  });
});

describe('LogTail', () => {
  it('folds a run of lines that differ only in numbers, so the tail still reaches what went wrong', () => {
    const tail = new LogTail(3);
    tail.push('[ERR] videoroom: no such feed (1000)\n');
    for (let i = 0; i < 40; i++) tail.push(`[WARN] [87922019${i}] Discarding too old outgoing packet (age=10${i}us)\n`);
    tail.push('[INFO] the last, unfinished');
    expect(tail.text().split('\n')).toEqual([
      '[ERR] videoroom: no such feed (1000)',
      '[WARN] [879220190] Discarding too old outgoing packet (age=100us) (and 39 more like it)',
      '[INFO] the last, unfinished',
    ]);
  });

  it('keeps only the last lines beyond its size', () => {
    const tail = new LogTail(2);
    tail.push('one\ntwo\nthree\n');
    expect(tail.text()).toBe('two\nthree');
  });
});
