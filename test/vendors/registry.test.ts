import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import type { VendorAdapter } from '../../src/vendors/adapter.ts';
import {
  VENDOR_ADAPTERS,
  VENDOR_KINDS,
  adapterOptionProblems,
  createVendorAdapter,
  vendorAdapterRegistry,
  waitsByDefault,
} from '../../src/vendors/registry.ts';
import { contractDraft } from './contract.ts';

const dirs: string[] = [];
const adapters: VendorAdapter[] = [];
afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.close?.();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function context(vendorName = 'desk', now = new Date('2026-11-27T19:00:00.000Z')) {
  const dataDir = mkdtempSync(join(tmpdir(), 'supportdrill-registry-'));
  dirs.push(dataDir);
  return { dataDir, vendorName, now: () => now };
}

describe('vendor registry', () => {
  it('lists sandbox among the adapter kinds', () => {
    expect(VENDOR_KINDS).toContain('sandbox');
    expect(typeof VENDOR_ADAPTERS.sandbox.factory).toBe('function');
  });

  it('creates an adapter from a whole vendor entry, leaving the common keys to the config', () => {
    const adapter = createVendorAdapter('sandbox', { adapter: 'sandbox', persona: 'slow', pollInterval: '5s', sla: 'growth' }, context());
    adapters.push(adapter);
    expect(adapter.kind).toBe('sandbox');
  });

  it('refuses an unknown adapter kind, listing the known ones', () => {
    expect(() => createVendorAdapter('zendsk', {}, context('support'))).toThrow(
      "[supportdrill] vendors.support.adapter: unknown adapter 'zendsk'; known adapters: sandbox, email, zendesk",
    );
  });

  it("validates options with the adapter's schema, naming the vendor and field", () => {
    let error: unknown;
    try {
      createVendorAdapter('sandbox', { persona: 'responsive', speed: -1, timings: { ack: 5 } }, context('agora-desk'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message.split('\n')).toEqual([
      "[supportdrill] [sandbox] vendors.agora-desk.timings.ack: expected a duration from filing, like '2s', '20m' or '26h'",
      '[supportdrill] [sandbox] vendors.agora-desk.speed: expected a number above 0 (0.1 runs ten times faster, 10 ten times slower)',
    ]);
  });

  it("hands the entry's timezone and business hours to the sandbox desk", async () => {
    const friday8pmBerlin = new Date('2026-11-27T19:00:00.000Z');
    let now = friday8pmBerlin;
    const ctx = { ...context(), now: () => now };
    const adapter = createVendorAdapter('sandbox', { adapter: 'sandbox', persona: 'business-hours', timezone: 'Europe/Berlin' }, ctx);
    adapters.push(adapter);
    const draft = contractDraft();
    const ticket = await adapter.fileTicket(draft);
    now = new Date('2026-12-01T00:00:00.000Z');
    const { activities } = await adapter.fetchActivity({ runId: draft.runId, ref: draft.ref, vendorTicketId: ticket.vendorTicketId });
    const monday9Berlin = Date.parse('2026-11-30T08:00:00.000Z');
    expect(activities[1]!.at.getTime() - monday9Berlin).toBe(6000);
  });
});

describe('the adapter registry', () => {
  it('refuses, at compile time, an adapter filed under another kind', () => {
    // @ts-expect-error — the key must be the adapter's own `kind`
    vendorAdapterRegistry({ desk: VENDOR_ADAPTERS.sandbox });
    expect(Object.keys(vendorAdapterRegistry({ sandbox: VENDOR_ADAPTERS.sandbox }))).toEqual(['sandbox']);
  });

  it('says which vendors a drill waits for by default, from the registration, not the name', () => {
    expect(VENDOR_KINDS.filter(waitsByDefault)).toEqual(['sandbox']);
    expect(waitsByDefault('nope')).toBe(false);
  });

  it("finds an entry's adapter problems the way the config reports them, relative to the entry", () => {
    expect(adapterOptionProblems('zendsk', {})).toEqual([{ path: ['adapter'], message: "unknown adapter 'zendsk'; known adapters: sandbox, email, zendesk" }]);
    expect(adapterOptionProblems('sandbox', { adapter: 'sandbox', pollInterval: '5s', persna: 'slow' })).toEqual([
      { path: ['persna'], message: expect.stringMatching(/^unknown option \(did you mean 'persona'\?\); known options: persona, /) },
    ]);
  });
});
