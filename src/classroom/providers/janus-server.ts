/**
 * One run's Janus (the media server of the local SFU classroom): a private process with a config
 * of its own in a temporary directory, its APIs on 127.0.0.1 only, the videoroom plugin and the
 * WebSockets transport and nothing else, ICE on one address of this machine and nothing more (no
 * STUN, no TURN, no IPv6). Stopped and its directory removed with the run.
 *
 * Why not ICE on 127.0.0.1: Janus never gathers on a loopback interface (ice.c skips IFF_LOOPBACK,
 * and libnice then falls back to every interface it finds), and Chromium does not gather there
 * either. Packets between two addresses of the same machine are delivered by its kernel and never
 * reach a wire, so one of its own addresses keeps the media as local as loopback would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UserError, prefixed } from '../../core/errors.ts';
import { isExecutable } from '../../core/executable.ts';
import { connectJanus, type JanusApi } from './janus-api.ts';

export const JANUS_ENV = 'SUPPORTDRILL_JANUS';
export const JANUS_INSTALL = 'sudo apt-get install -y janus';
const SCOPE = 'janus';

/** Where Debian's package and a source build (`/opt/janus`, `/usr/local`) put the binary. */
export const JANUS_PATHS = ['/usr/bin/janus', '/usr/local/bin/janus', '/opt/janus/bin/janus'];

/** The plugin and the transport the classroom uses; every other one is disabled. */
const PLUGIN = 'libjanus_videoroom.so';
const TRANSPORT = 'libjanus_websockets.so';

/** Janus answers `info` within about a second here; a slow machine gets ten times that. */
export const JANUS_START_TIMEOUT_MS = 10_000;
/** Janus tears its sessions down on SIGTERM; a stuck one is killed after this. */
export const JANUS_STOP_GRACE_MS = 3000;
const LOG_LINES = 40;
/** util-linux's, on every Debian: sets the parent-death signal before it execs. */
const SETPRIV = '/usr/bin/setpriv';

export interface JanusServerOptions {
  /** The binary; else {@link JANUS_ENV}, else the usual places. */
  binary?: string;
  /** @defaultValue {@link JANUS_START_TIMEOUT_MS} */
  startTimeoutMs?: number;
  /** The one address ICE uses. @defaultValue {@link iceAddress}'s choice */
  iceAddress?: string;
  /** @defaultValue {@link JANUS_STOP_GRACE_MS} */
  stopGraceMs?: number;
}

export interface JanusServer {
  /** The Janus API over WebSockets: `ws://127.0.0.1:<port>` (subprotocol `janus-protocol`). */
  url: string;
  /** The Admin API over WebSockets, and the run's secret for it. */
  adminUrl: string;
  adminSecret: string;
  /** `1.1.2`, as the server reports itself. */
  version: string;
  /** The only address Janus offers ICE candidates on. */
  iceAddress: string;
  /** From spawning the process to its first answer. */
  startupMs: number;
  /** The last lines Janus logged, for error messages. */
  logTail(): string;
  stop(): Promise<void>;
}

/**
 * The Janus binary to run, or `undefined` when there is none. A {@link JANUS_ENV} that names
 * nothing runnable is an error: it was meant.
 */
export function findJanus(env: NodeJS.ProcessEnv = process.env, paths: readonly string[] = JANUS_PATHS): string | undefined {
  const named = env[JANUS_ENV]?.trim();
  if (named) {
    if (isExecutable(named)) return named;
    throw new UserError(prefixed(SCOPE, `${JANUS_ENV} names '${named}', but there is no executable there. Fix the path or unset it; \`${JANUS_INSTALL}\` (or \`npm run setup\` as root) installs Janus.`));
  }
  return paths.find(isExecutable);
}

/** What to do when the SFU is asked for and there is no Janus. */
export function janusNotInstalled(paths: readonly string[] = JANUS_PATHS): UserError {
  return new UserError(
    prefixed(
      SCOPE,
      `The SFU classroom needs the Janus media server, which is not installed (looked in ${paths.join(', ')}). ` +
        `Install it with \`${JANUS_INSTALL}\` (or \`npm run setup\` as root), or point ${JANUS_ENV} at a janus binary; ` +
        `or run the mesh: classroom.local.topology 'mesh'.`,
    ),
  );
}

/** The Janus binary, or the error that says how to install it. */
export function requireJanus(env: NodeJS.ProcessEnv = process.env, paths: readonly string[] = JANUS_PATHS): string {
  const found = findJanus(env, paths);
  if (!found) throw janusNotInstalled(paths);
  return found;
}

/** Starts Janus and resolves once it answers an `info` request. */
export async function startJanus(options: JanusServerOptions = {}): Promise<JanusServer> {
  const binary = options.binary ?? requireJanus();
  const folders = janusFolders(binary);
  const ice = options.iceAddress ?? iceAddress();
  if (!ice) {
    throw new UserError(prefixed(SCOPE, 'This machine has no IPv4 address but 127.0.0.1, and Janus (like Chromium) never uses loopback for ICE. Bring up a network interface, or run the mesh: classroom.local.topology \'mesh\'.'));
  }
  const dir = await mkdtemp(join(tmpdir(), 'supportdrill-janus-'));
  const [port, adminPort] = await freePorts(2);
  const adminSecret = randomBytes(16).toString('hex');
  const empty = join(dir, 'none');
  await mkdir(empty);
  await Promise.all([
    writeFile(join(dir, 'janus.jcfg'), coreConfig({ dir, empty, ...folders, adminSecret, ice })),
    writeFile(join(dir, 'janus.transport.websockets.jcfg'), websocketsConfig(port, adminPort)),
    writeFile(join(dir, 'janus.plugin.videoroom.jcfg'), 'general: {\n}\n'),
  ]);

  const started = performance.now();
  const args = ['--config', join(dir, 'janus.jcfg'), '--configs-folder', dir, '--disable-colors'];
  // Through setpriv, the kernel kills Janus when this process dies, even by SIGKILL, where no
  // exit handler runs; it then execs Janus, so signals below reach Janus itself.
  const child = isExecutable(SETPRIV)
    ? spawn(SETPRIV, ['--pdeathsig', 'KILL', binary, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = new LogTail(LOG_LINES);
  child.stdout.on('data', (chunk: Buffer) => log.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => log.push(chunk));
  // A run that ends without stopping it must not leave a media server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit ${code}`));
    child.once('error', (err) => resolve(err.message));
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.removeListener('exit', killOnExit);
      await terminate(child, exited, options.stopGraceMs ?? JANUS_STOP_GRACE_MS);
      await rm(dir, { recursive: true, force: true });
    })());

  const url = `ws://127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? JANUS_START_TIMEOUT_MS;
  try {
    const version = await firstAnswer(url, exited, timeoutMs);
    return {
      url,
      adminUrl: `ws://127.0.0.1:${adminPort}`,
      adminSecret,
      version,
      iceAddress: ice,
      startupMs: Math.round(performance.now() - started),
      logTail: () => log.text(),
      stop,
    };
  } catch (err) {
    await stop();
    const why = (err as Error).message;
    throw new UserError(prefixed(SCOPE, `Janus (${binary}) did not start: ${why}. Nothing was injected and nothing is filed. Its last words:\n${log.text() || '(nothing)'}`), { cause: err });
  }
}

/** Asks `info` until Janus answers, the process ends, or the time is up. */
async function firstAnswer(url: string, exited: Promise<string>, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let ended: string | undefined;
  void exited.then((how) => (ended = how));
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (ended) throw new Error(`it ended (${ended}) before answering`);
    let api: JanusApi | undefined;
    try {
      api = await connectJanus(url, { timeoutMs: Math.min(1000, Math.max(100, deadline - Date.now())) });
      const info = await api.info();
      return info.version;
    } catch (err) {
      last = (err as Error).message;
    } finally {
      api?.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (ended) throw new Error(`it ended (${ended}) before answering`);
  throw new Error(`no answer to 'info' on ${url} within ${timeoutMs} ms (${last})`);
}

async function terminate(child: ChildProcess, exited: Promise<string>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

interface Folders {
  plugins: string;
  transports: string;
}

/**
 * Where the binary's plugins and transports are: Debian's `/usr/lib/<triplet>/janus`, or
 * `<prefix>/lib/janus` of a source build.
 */
export function janusFolders(binary: string): Folders {
  const prefix = dirname(dirname(binary));
  const lib = join(prefix, 'lib');
  const triplets = existsSync(lib) ? readdirSync(lib).filter((d) => /-linux-gnu/.test(d)).map((d) => join(lib, d, 'janus')) : [];
  const candidates = [...triplets, join(lib, 'janus'), join(prefix, 'lib64', 'janus')];
  const found = candidates.find((c) => existsSync(join(c, 'plugins', PLUGIN)) && existsSync(join(c, 'transports', TRANSPORT)));
  if (!found) {
    throw new UserError(
      prefixed(SCOPE, `Janus at ${binary} has no ${PLUGIN} and ${TRANSPORT} beside it (looked in ${candidates.join(', ')}). Reinstall it with \`${JANUS_INSTALL}\`.`),
    );
  }
  return { plugins: join(found, 'plugins'), transports: join(found, 'transports') };
}

/** Every `.so` in `folder` but `keep`: Janus loads all it finds unless told not to, which is slow. */
function othersThan(folder: string, keep: string): string {
  return readdirSync(folder).filter((f) => f.endsWith('.so') && f !== keep).join(',');
}

/**
 * The IPv4 address ICE runs on: the first of a non-loopback interface that is up (Janus skips the
 * others, and with none left libnice would gather on every interface).
 */
export function iceAddress(): string | undefined {
  const candidates = Object.entries(networkInterfaces()).flatMap(([name, list]) =>
    (list ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => ({ name, address: a.address })),
  );
  return (candidates.find((c) => isUp(c.name)) ?? candidates[0])?.address;
}

function isUp(name: string): boolean {
  try {
    return ['up', 'unknown'].includes(readFileSync(`/sys/class/net/${name}/operstate`, 'utf8').trim());
  } catch {
    return false;
  }
}

function coreConfig(c: { dir: string; empty: string; plugins: string; transports: string; adminSecret: string; ice: string }): string {
  return `general: {
	configs_folder = "${c.dir}"
	plugins_folder = "${c.plugins}"
	transports_folder = "${c.transports}"
	events_folder = "${c.empty}"
	loggers_folder = "${c.empty}"
	debug_level = 4
	server_name = "supportdrill"
	admin_secret = "${c.adminSecret}"
	# This server lives for one run and its sessions die with it: nothing is orphaned, so no
	# page or runner needs keepalives, whatever the class's length.
	session_timeout = 0
	interface = "${c.ice}"
}
media: {
	ipv6 = false
}
nat: {
	# One host candidate on this machine's own address; no STUN, no TURN, no mDNS lookups.
	ice_enforce_list = "${c.ice}"
	ignore_mdns = true
}
plugins: {
	disable = "${othersThan(c.plugins, PLUGIN)}"
}
transports: {
	disable = "${othersThan(c.transports, TRANSPORT)}"
}
events: {
	broadcast = false
}
`;
}

function websocketsConfig(port: number, adminPort: number): string {
  return `general: {
	json = "plain"
	ws = true
	ws_ip = "127.0.0.1"
	ws_port = ${port}
	wss = false
}
admin: {
	admin_ws = true
	admin_ws_ip = "127.0.0.1"
	admin_ws_port = ${adminPort}
	admin_wss = false
}
`;
}

/** Free TCP ports on 127.0.0.1, held together so they differ (another process may still take one first). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/**
 * The last lines of a process's output, a run of lines that differ only in their numbers (Janus
 * repeats "Discarding too old outgoing packet (age=…)" for every handle) folded into its first
 * line and a count, so the tail a failure shows still reaches back to what went wrong.
 */
export class LogTail {
  readonly #runs: { line: string; shape: string; more: number }[] = [];
  #partial = '';
  constructor(private readonly size: number) {}
  push(chunk: Buffer | string): void {
    const parts = (this.#partial + chunk.toString()).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const line of parts.filter((l) => l.trim())) {
      const shape = line.replace(/\d+/g, '#');
      const last = this.#runs.at(-1);
      if (last?.shape === shape) last.more += 1;
      else this.#runs.push({ line, shape, more: 0 });
    }
    if (this.#runs.length > this.size) this.#runs.splice(0, this.#runs.length - this.size);
  }
  text(): string {
    const lines = this.#runs.map((r) => (r.more ? `${r.line} (and ${r.more} more like it)` : r.line));
    return [...lines, this.#partial].filter((l) => l.trim()).join('\n');
  }
}
