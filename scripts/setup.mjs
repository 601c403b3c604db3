#!/usr/bin/env node
// Installs what the project needs and is missing: npm dependencies, then a Chromium to drive.
// Dependency-free on purpose: it runs before `npm install` on a fresh clone (npm's predrill and
// pretest hooks call it), and is quick when everything is already there.
//
//   node scripts/setup.mjs            npm dependencies + Chromium
//   node scripts/setup.mjs --for test  the same, plus what the test suite needs (Dovecot, for the
//                                      e-mail adapter's IMAP tests)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
ensureBrowser();
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
