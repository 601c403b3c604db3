#!/usr/bin/env node
// Installs what the project needs and is missing: npm dependencies, then a Chromium to drive.
// Dependency-free on purpose: it runs before `npm install` on a fresh clone (npm's predrill and
// pretest hooks call it), and is quick when everything is already there.
//
//   node scripts/setup.mjs            npm dependencies + Chromium
//   node scripts/setup.mjs --for test  the same, plus what the test suite needs (Dovecot, for the
//                                      e-mail adapter's IMAP tests)
//
// Both also install Janus (the local classroom's SFU) when they can, and only say how when they
// cannot: without it the local classroom runs as a mesh.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBuild } from '../bin/fresh-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const forTest = process.argv.includes('--for') && process.argv[process.argv.indexOf('--for') + 1] === 'test';
const say = (message) => process.stderr.write(`[setup] ${message}\n`);

export const SYSTEM_BROWSER_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
];

/** Where Debian's janus package and a source build put the binary (as src/classroom/providers/janus-server.ts looks). */
export const JANUS_PATHS = ['/usr/bin/janus', '/usr/local/bin/janus', '/opt/janus/bin/janus'];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) {
    say(`\`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal}).`);
    process.exit(2);
  }
}

// ---- npm dependencies: reinstalled when package.json or the lock file changed since the last install
function installDependencies() {
  const stamp = join(root, 'node_modules', '.supportdrill-installed');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === manifestHash()) return;
  say(existsSync(join(root, 'node_modules')) ? 'dependencies changed: installing…' : 'installing npm dependencies…');
  // `npm install`, not `npm ci`: ci refuses a lock file that lacks an optional dependency the
  // registry does not serve (vite lists one), where install simply goes on without it.
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  writeFileSync(stamp, manifestHash());
}

function manifestHash() {
  const inputs = ['package.json', 'package-lock.json'].map((f) => join(root, f)).filter(existsSync).map((f) => readFileSync(f));
  return createHash('sha256').update(Buffer.concat(inputs)).digest('hex');
}

// ---- the prebuilt CLI (dist/): a drill compiles none of our TypeScript at run time
// (not fatal: without it the CLI runs from src/ through tsx, only slower to start)
function buildCli() {
  if (freshBuild(pathToFileURL(root + '/'))) return;
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'bundle.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) say('could not prebuild the CLI (above); it runs from the TypeScript instead, about half a second slower to start.');
}

// ---- the browser
function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function aptInstall(packages, why) {
  if (!isRoot() || !existsSync('/usr/bin/apt-get')) return false;
  say(`installing ${packages.join(', ')} with apt-get (${why})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
  return true;
}

function ensureBrowser() {
  const fromEnv = process.env.SUPPORTDRILL_CHROME;
  if (fromEnv) {
    if (executable(fromEnv)) return;
    say(`SUPPORTDRILL_CHROME is '${fromEnv}', but there is no executable there. Fix it or unset it.`);
    process.exit(2);
  }
  if (SYSTEM_BROWSER_PATHS.some(executable)) return;
  if (aptInstall(['chromium', 'fonts-liberation'], 'the headless classroom runs in it')) return;
  say('No Chromium or Chrome found, and this user cannot install one.');
  say('Install it, then run the command again:');
  say('  sudo apt-get install -y chromium        (Debian/Ubuntu)');
  say('or point SUPPORTDRILL_CHROME at a Chrome/Chromium binary.');
  process.exit(2);
}

installDependencies();
buildCli();
ensureBrowser();
ensureJanus();
if (forTest) ensureDovecot();

// ---- the test suite's IMAP server: the e-mail adapter is tested against a real Dovecot, started by
// the tests themselves on 127.0.0.1 with a throwaway config (test/helpers/dovecot.ts)
function ensureDovecot() {
  const binary = process.env.SUPPORTDRILL_DOVECOT || '/usr/sbin/dovecot';
  if (executable(binary)) return;
  if (aptInstall(['dovecot-imapd'], 'the e-mail adapter tests run a real IMAP server')) return;
  say(`No Dovecot at ${binary}, and this user cannot install it. The e-mail adapter tests need it:`);
  say('  sudo apt-get install -y dovecot-imapd   (Debian/Ubuntu)');
  say('or point SUPPORTDRILL_DOVECOT at a dovecot binary.');
  process.exit(2);
}

// ---- the SFU classroom's media server: Debian's janus (its videoroom plugin and WebSockets
// transport), started by the run itself with a throwaway config (src/classroom/providers/janus-server.ts).
// Never fatal: the local classroom runs as a mesh without it.
function ensureJanus() {
  const named = process.env.SUPPORTDRILL_JANUS;
  if (named ? executable(named) : JANUS_PATHS.some(executable)) return;
  if (named) {
    say(`SUPPORTDRILL_JANUS is '${named}', but there is no executable there: fix it or unset it (until then, a local classroom that could use the SFU stops with this error; topology 'mesh' runs).`);
    return;
  }
  if (isRoot() && existsSync('/usr/bin/apt-get')) {
    say("installing janus with apt-get (the local classroom's SFU topology runs on it)…");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const apt = (args) => spawnSync('apt-get', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env }).status === 0;
    if (apt(['update', '-qq']) && apt(['install', '-y', '-qq', '--no-install-recommends', 'janus'])) return;
    say('apt-get could not install janus (above); the local classroom runs as a mesh without it.');
  } else {
    say('No Janus media server found, and this user cannot install it; the local classroom runs as a mesh without it.');
  }
  say("For the SFU topology (classroom.local.topology 'sfu', or 'auto' with 2 or more students), install it:");
  say('  sudo apt-get install -y janus        (Debian/Ubuntu)');
  say('or point SUPPORTDRILL_JANUS at a janus binary.');
}
