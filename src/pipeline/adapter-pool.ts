import type { Config } from '../config/config.ts';
import { getVendor, vendorEntry, type VendorConfig } from '../config/vendor-entry.ts';
import type { Logger } from '../core/log.ts';
import type { VendorAdapter } from '../vendors/adapter.ts';
import { createVendorAdapter } from '../vendors/registry.ts';

/** A vendor of the config, resolved once: its entry and its adapter. */
export interface PoolVendor {
  name: string;
  config: VendorConfig;
  adapter: VendorAdapter;
}

/** Vendor adapters by config name, each created once (on first use) and closed together. */
export class AdapterPool {
  readonly #vendors = new Map<string, PoolVendor>();
  constructor(
    private readonly config: Config,
    private readonly logger?: Logger,
    /** The vendors' clock; only the sandbox desk, which runs here, reads it. */
    private readonly now?: () => Date,
  ) {}

  /** The vendor named `name`: an unknown name, or options its adapter refuses, is a clear error. */
  vendor(name: string): PoolVendor {
    let vendor = this.#vendors.get(name);
    if (!vendor) {
      const config = getVendor(this.config, name);
      const adapter = createVendorAdapter(config.adapter, vendorEntry(this.config, name), { dataDir: this.config.dataDir, vendorName: name, logger: this.logger, now: this.now });
      vendor = { name, config, adapter };
      this.#vendors.set(name, vendor);
    }
    return vendor;
  }

  get(vendor: string): VendorAdapter {
    return this.vendor(vendor).adapter;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#vendors.values()].map(async (v) => v.adapter.close?.()));
    this.#vendors.clear();
  }
}
