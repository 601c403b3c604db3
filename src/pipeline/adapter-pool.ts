import type { Config } from '../config/config.ts';
import { getVendor, vendorEntry } from '../config/vendor-entry.ts';
import type { Logger } from '../core/log.ts';
import type { VendorAdapter } from '../vendors/adapter.ts';
import { createVendorAdapter } from '../vendors/registry.ts';

/** Vendor adapters by config name, each created once (on first use) and closed together. */
export class AdapterPool {
  readonly #adapters = new Map<string, VendorAdapter>();
  constructor(
    private readonly config: Config,
    private readonly logger?: Logger,
    /** The vendors' clock; only the sandbox desk, which runs here, reads it. */
    private readonly now?: () => Date,
  ) {}

  get(vendor: string): VendorAdapter {
    let adapter = this.#adapters.get(vendor);
    if (!adapter) {
      const entry = getVendor(this.config, vendor);
      adapter = createVendorAdapter(entry.adapter, vendorEntry(this.config, vendor), { dataDir: this.config.dataDir, vendorName: vendor, logger: this.logger, now: this.now });
      this.#adapters.set(vendor, adapter);
    }
    return adapter;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#adapters.values()].map(async (a) => a.close?.()));
    this.#adapters.clear();
  }
}
