import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { guardrailRefusal, inQuietHours } from '../../src/service/guardrails.ts';
import type { Store } from '../../src/store/store.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';

const config = (guardrails: unknown) => parseConfig({ vendors: { sandbox: { adapter: 'sandbox' }, night: { adapter: 'sandbox' } }, guardrails }, { baseDir: tmpdir() });

describe('inQuietHours', () => {
  const quiet = { start: 22 * 60, end: 7 * 60, timezone: 'Asia/Shanghai' };

  it('spans midnight when the end is earlier than the start, in the given timezone', () => {
    expect(inQuietHours(quiet, new Date('2026-11-29T15:30:00Z'))).toBe(true); // 23:30 in Shanghai
    expect(inQuietHours(quiet, new Date('2026-11-29T22:59:00Z'))).toBe(true); // 06:59
    expect(inQuietHours(quiet, new Date('2026-11-29T23:00:00Z'))).toBe(false); // 07:00
    expect(inQuietHours(quiet, new Date('2026-11-29T13:59:00Z'))).toBe(false); // 21:59
  });
});

describe('guardrailRefusal', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(ticketProject({ sandbox: { adapter: 'sandbox' } }).config.dataDir);
  });
  afterEach(async () => await store.close());

  it('refuses during quiet hours, and lets a vendor whose rules lift them fire', async () => {
    const rules = config({ quietHours: { start: '22:00', end: '07:00', timezone: 'Asia/Shanghai' }, vendors: { night: { quietHours: false } } });
    const at = new Date('2026-11-29T15:30:00Z');
    expect(await guardrailRefusal(store, rules, 'sandbox', at)).toBe('quiet hours (22:00–07:00 Asia/Shanghai)');
    expect(await guardrailRefusal(store, rules, 'night', at)).toBeNull();
  });

  it('applies quiet hours to a dry run, which files nothing, and nothing else', async () => {
    const rules = config({ maxOpenTickets: 0, quietHours: { start: '22:00', end: '07:00' } });
    expect(await guardrailRefusal(store, rules, null, new Date('2026-11-29T12:00:00Z'))).toBeNull();
    expect(await guardrailRefusal(store, rules, null, new Date('2026-11-29T23:00:00Z'))).toMatch(/^quiet hours/);
  });

  it('refuses once the day’s cap of drills filed to a vendor is reached, and fires again the next day', async () => {
    const rules = config({ maxDrillsPerDay: 2 });
    for (const suffix of ['d1a001', 'd1a002']) {
      await savedRun(store, `run_20261129T051246Z_${suffix}`);
      await store.beginFiling(`run_20261129T051246Z_${suffix}`, { vendor: 'sandbox', ref: `DRILL-${suffix}` });
    }
    const filedAt = new Date((await store.listTickets())[0]!.createdAt);
    expect(await guardrailRefusal(store, rules, 'sandbox', filedAt)).toBe('2 drill(s) already filed to sandbox today (guardrails maxDrillsPerDay: 2)');
    expect(await guardrailRefusal(store, rules, 'night', filedAt)).toBeNull();
    expect(await guardrailRefusal(store, rules, 'sandbox', new Date(filedAt.getTime() + 86_400_000))).toBeNull();
  });
});
