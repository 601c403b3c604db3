#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so that drill and config files — also TypeScript — load
// in the same process without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
