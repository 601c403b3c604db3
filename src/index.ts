/**
 * What drill and config files import: `import { defineDrill } from 'supportdrill'`.
 */
export { defineDrill } from './drill/define.ts';
export type { DrillInput, Drill, Fault } from './drill/schema.ts';
export type { Duration } from './core/duration.ts';
export { defineConfig } from './config/config.ts';
export { env } from './core/secrets.ts';
export type { ConfigInput } from './config/config.ts';
export type { VendorConfigInput } from './config/vendor-entry.ts';
