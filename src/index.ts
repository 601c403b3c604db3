/**
 * What drill and config files import: `import { defineDrill } from 'supportdrill'`.
 */
export { defineDrill } from './drill/define.ts';
export type { DrillInput, Drill, Fault } from './drill/schema.ts';
export type { Duration } from './drill/duration.ts';
export { defineConfig, env } from './config.ts';
export type { ConfigInput, VendorConfigInput } from './config.ts';
