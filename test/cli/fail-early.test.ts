import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-fail-early-'));
  mkdirSync(join(dir, 'drills'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const FREEZE = `export default { name: 'x', description: 'd', classroom: { duration: '20s' }, faults: [{ kind: 'video-freeze', target: 'teacher', at: '5s', for: '5s' }] };\n`;

describe('failing before anything starts', () => {
  it("names a vendor's unset secret before the browser starts, not after the class (exit 2)", async () => {
    const config = {
      vendors: {
        mail: {
          adapter: 'email',
          to: 'support@vendor.test',
          from: 'trial@school.example',
          smtp: { host: '127.0.0.1' },
          imap: { host: '127.0.0.1', password: { env: 'SUPPORTDRILL_TEST_UNSET_IMAP' } },
        },
      },
    };
    const dir = project({ 'supportdrill.config.json': JSON.stringify(config), 'drills/x.ts': FREEZE });
    const started = Date.now();
    const { code, stdout, stderr } = await runCli(['drill', 'x', '--vendor', 'mail'], { cwd: dir, env: { SUPPORTDRILL_TEST_UNSET_IMAP: '' } });
    expect(stderr).toContain('vendors.mail.imap.password needs the environment variable SUPPORTDRILL_TEST_UNSET_IMAP, which is not set');
    expect(stdout).not.toContain('browser up');
    expect(code).toBe(2);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('refuses a class larger than this probe holds, with the measured limit, before any class starts (exit 2)', async () => {
    const big = `export default { name: 'x', description: 'd', classroom: { students: 32, studentsPerWindow: 1, duration: '20s' }, faults: [] };\n`;
    const dir = project({ 'drills/x.ts': big });
    const { code, stdout, stderr } = await runCli(['drill', 'x', '--no-ticket'], { cwd: dir, env: { SUPPORTDRILL_IGNORE_CAPACITY: '' } });
    expect(stderr).toMatch(/\[classroom\] The drill asks for 32 students, and this probe \(\d+ cores\) holds at most \d+ with one browser window per student/);
    expect(stderr).toContain('Nothing was started.');
    expect(stdout).not.toContain('browser up');
    expect(code).toBe(2);
  });

  it('gives up on a drill file whose top-level await never settles, with a message instead of exit 0', async () => {
    const dir = project({ 'drills/x.ts': `await new Promise(() => {});\n${FREEZE}` });
    const { code, stdout, stderr } = await runCli(['drill', 'x', '--no-ticket'], { cwd: dir, env: { SUPPORTDRILL_LOAD_TIMEOUT: '2s' } });
    expect(stderr).toContain("Drill file 'drills/x.ts' did not finish loading within 2.0 s: does a top-level await in it never settle?");
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });

  it('gives up on a config file that keeps the process busy and never finishes loading', async () => {
    const dir = project({ 'supportdrill.config.mjs': `await new Promise(() => setInterval(() => {}, 1000));\nexport default {};\n`, 'drills/x.ts': FREEZE });
    const { code, stderr } = await runCli(['tickets'], { cwd: dir, env: { SUPPORTDRILL_LOAD_TIMEOUT: '2s' } });
    expect(stderr).toContain("Config file 'supportdrill.config.mjs' did not finish loading within 2.0 s");
    expect(code).toBe(2);
  });
});
