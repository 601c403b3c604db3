import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';

/**
 * Runs the project's layering check on `src` under `cwd`: its exit code as `npm run lint` sees it
 * (the `err` reporter), and the violated rules by import (the `json` reporter).
 */
function depcruise(cwd: string): { code: number | null; violations: { from: string; to: string; rule: string }[] } {
  const bin = join(ROOT, 'node_modules', '.bin', 'depcruise');
  const run = (type: string) => spawnSync(bin, ['src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', type], { cwd, encoding: 'utf8', timeout: 60_000 });
  const output = JSON.parse(run('json').stdout) as { summary: { violations: { from: string; to: string; rule: { name: string } }[] } };
  return { code: run('err').status, violations: output.summary.violations.map((v) => ({ from: v.from, to: v.to, rule: v.rule.name })) };
}

describe('the layering rules', () => {
  it('hold for the project: no arrow up, no loop', () => {
    const { code, violations } = depcruise(ROOT);
    expect(violations).toEqual([]);
    expect(code).toBe(0);
  });

  it('fail the check on a tree that breaks each rule, naming the rule and the import', () => {
    const { code, violations } = depcruise(join(ROOT, 'test/fixtures/layering'));
    expect(code).not.toBe(0);
    const seen = violations.map((v) => `${v.rule}: ${v.from} → ${v.to}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        'layer-core: src/core/clock.ts → src/cli/say.ts',
        'not-to-cli: src/core/clock.ts → src/cli/say.ts',
        'layer-store: src/store/rows.ts → src/support/kind.ts',
        'layer-classroom: src/classroom/page.ts → src/vendors/desk.ts',
      ]),
    );
    expect(violations.some((v) => v.rule === 'no-circular' && v.from.startsWith('src/drill/'))).toBe(true);
  });
});
