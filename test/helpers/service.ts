import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT } from './cli.ts';

export const SERVICE_DRILLS = join(ROOT, 'test/fixtures/service-drills');

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string | null>;
}

/** A temp project with a JSON config (http on a free loopback port unless the config says otherwise). */
export function serviceProject(config: Record<string, unknown>): { dir: string; configPath: string; emptyDrills: string } {
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-service-'));
  const configPath = join(dir, 'supportdrill.config.json');
  writeFileSync(configPath, JSON.stringify({ dataDir: 'var', http: { port: 0 }, ...config }, null, 2));
  const emptyDrills = join(dir, 'drills');
  mkdirSync(emptyDrills);
  return { dir, configPath, emptyDrills };
}

/** Starts the real `serve` process from the repo root (drill files import 'supportdrill') and waits for its URL. */
export async function startService(args: string[], options: { env?: Record<string, string> } = {}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, SUPPORTDRILL_LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start:\n${stderr}`)), 60_000);
    child.stdout!.on('data', (d) => {
      stdout += d;
      const match = /serving on (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code}) before serving:\n${stderr}`));
    });
  });
  return { child, url, stderr: () => stderr, exited };
}

/** Polls until `check` returns a value other than undefined/false, or fails with `what` at the deadline. */
export async function eventually<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function getJson<T = unknown>(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as T };
}

/** The value of one Prometheus sample, e.g. `supportdrill_runs{drill="x",status="watching"}`. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    const ok = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (ok) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

export function stopChild(service: ServiceProcess | undefined): void {
  if (service && service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
}
