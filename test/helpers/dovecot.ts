/**
 * A real Dovecot IMAP server for tests: a throwaway config in a temp dir, one passwd-file user, a
 * temp maildir, listening on 127.0.0.1 at a free port only. Started and stopped by the test.
 *
 * Run as root (CI), Dovecot insists on unprivileged users for its login and mail processes, so the
 * Debian package's `dovecot`/`dovenull` users get them and own the mail dir; run as anyone else, every
 * process runs as that user.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const DOVECOT_BINARY = process.env.SUPPORTDRILL_DOVECOT ?? '/usr/sbin/dovecot';

export interface DovecotServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  dir: string;
  /** Closes every client connection of the user, as a server restart or a network drop would. */
  kick(): void;
  stop(): Promise<void>;
}

export interface DovecotOptions {
  user?: string;
  password?: string;
  /** Capabilities to advertise instead of Dovecot's own, e.g. to hide IDLE. */
  capabilities?: string;
}

/** A free TCP port on 127.0.0.1 (a small race with other processes, acceptable in tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function passwdEntry(name: string): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startDovecot(options: DovecotOptions = {}): Promise<DovecotServer> {
  if (!existsSync(DOVECOT_BINARY)) {
    throw new Error(`Dovecot is not installed (${DOVECOT_BINARY}); \`node scripts/setup.mjs --for test\` installs dovecot-imapd when run as root`);
  }
  const user = options.user ?? 'drills@school.example';
  const password = options.password ?? 'imap-test-password';
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-dovecot-'));
  const port = await freePort();
  const root = process.getuid?.() === 0;
  const me = userInfo().username;
  const mailOwner = root ? passwdEntry('dovecot') : { uid: process.getuid!(), gid: process.getgid!() };
  if (!mailOwner) throw new Error("running as root needs the 'dovecot' system user that the dovecot-core package creates");
  for (const sub of ['run', 'state', 'mail', 'home']) mkdirSync(join(dir, sub), { recursive: true });
  chmodSync(dir, 0o755);
  if (root) for (const sub of ['mail', 'home']) chownSync(join(dir, sub), mailOwner.uid, mailOwner.gid);
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}::::::\n`);
  const config = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${root ? 'dovecot' : me}
default_login_user = ${root ? 'dovenull' : me}
default_internal_group = ${root ? 'dovecot' : userInfo().username}
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%u
mail_uid = ${mailOwner.uid}
mail_gid = ${mailOwner.gid}
${options.capabilities ? `imap_capability = ${options.capabilities}` : ''}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = home=${dir}/home/%u
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = create
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = create
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service imap {
  process_limit = 32
}
service doveadm {
  unix_listener doveadm-server {
    mode = 0600
  }
}
`;
  const configPath = join(dir, 'dovecot.conf');
  writeFileSync(configPath, config);
  const child: ChildProcess = spawn(DOVECOT_BINARY, ['-F', '-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForGreeting(port, child, () => `${stderr}${readLog(dir)}`);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    kick() {
      const result = spawnSync('/usr/bin/doveadm', ['-c', configPath, 'kick', user], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`doveadm kick failed: ${result.stderr}`);
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'dovecot.log'), 'utf8');
  } catch {
    return '';
  }
}

async function waitForGreeting(port: number, child: ChildProcess, diagnostics: () => string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`dovecot exited (${child.exitCode}) before listening:\n${diagnostics()}`);
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', (data) => {
        socket.destroy();
        resolve(String(data).startsWith('* OK'));
      });
      socket.once('error', () => resolve(false));
    });
    if (greeted) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dovecot did not greet on 127.0.0.1:${port} within 10 s:\n${diagnostics()}`);
}
