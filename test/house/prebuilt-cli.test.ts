import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the launcher, without types
import { freshBuild } from '../../bin/fresh-build.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('freshBuild: the launcher runs dist/ only while it is newer than src/', () => {
  const root = mkdtempSync(join(tmpdir(), 'supportdrill-fresh-'));
  const rootUrl = new URL(`file://${root}/`);
  const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
  beforeAll(() => {
    mkdirSync(join(root, 'src/classroom/page'), { recursive: true });
    writeFileSync(join(root, 'src/cli.ts'), '');
    writeFileSync(join(root, 'src/classroom/page/inject.ts'), '');
    utimesSync(join(root, 'src/cli.ts'), at(10), at(10));
    utimesSync(join(root, 'src/classroom/page/inject.ts'), at(10), at(10));
  });

  it('has no build before one is made', () => {
    expect(freshBuild(rootUrl)).toBeNull();
  });

  it('uses a build made after every source file, and not once any source file, however deep, is newer', () => {
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist/BUILT'), '');
    utimesSync(join(root, 'dist/BUILT'), at(20), at(20));
    expect(freshBuild(rootUrl)).toBe(join(root, 'dist/cli.mjs'));
    utimesSync(join(root, 'src/classroom/page/inject.ts'), at(30), at(30));
    expect(freshBuild(rootUrl)).toBeNull();
  });
});

describe('the prebuilt CLI (scripts/bundle.mjs)', () => {
  // Under the project, as dist/ is, so the bundle's bare imports find node_modules.
  const out = join(ROOT, 'var', `test-dist-${process.pid}`);
  // A fresh clone has no var/ until something runs: this test must not depend on which ran first.
  mkdirSync(join(ROOT, 'var'), { recursive: true });
  const drills = mkdtempSync(join(ROOT, 'var', 'test-drills-'));
  beforeAll(() => {
    const built = spawnSync(process.execPath, ['scripts/bundle.mjs', '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
  }, 60_000);
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(drills, { recursive: true, force: true });
  });

  it('holds the CLI, the entry drill files import, and every classroom page already bundled', () => {
    for (const file of ['cli.mjs', 'index.mjs', 'BUILT', 'page/inject.js', 'page/local-classroom.js', 'page/local-classroom.html', 'page/agora-classroom.js']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    // A page bundle is a browser script: no module syntax, nothing left to resolve.
    expect(readFileSync(join(out, 'page/inject.js'), 'utf8')).not.toMatch(/^import /m);
  });

  it("loads a user's TypeScript drill file, whose `supportdrill` import resolves to the build, and reports its problems", () => {
    const file = join(drills, 'broken.ts');
    writeFileSync(file, `import { defineDrill } from 'supportdrill';\nconsole.error('supportdrill is ' + import.meta.resolve('supportdrill'));\nconst students: number = 0;\nexport default defineDrill({ name: 'broken', description: 'x', classroom: { students, duration: '5s' }, faults: [] });\n`);
    const run = spawnSync(process.execPath, [join(out, 'cli.mjs'), 'drill', file, '--no-ticket'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/broken\.ts › classroom\.students › Too small/);
    // The build's own modules, not src/index.ts compiled a second time.
    expect(run.stderr).toContain(`supportdrill is file://${out}/index.mjs`);
  }, 60_000);
});
