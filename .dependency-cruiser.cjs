/**
 * The house's layering, checked by `npm run lint` (and so by CI): each room of src/ may import only
 * the rooms listed for it — the floors below it and itself. docs/ARCHITECTURE.md draws the same
 * table as a diagram; change both together.
 */
const MAY_IMPORT = {
  core: [],
  rendering: ['core'],
  store: ['core'],
  classroom: ['core', 'rendering'],
  drill: ['core', 'rendering', 'classroom'],
  vendors: ['core'],
  config: ['core', 'vendors', 'classroom'],
  support: ['core', 'store', 'vendors', 'config'],
  report: ['core', 'rendering', 'store', 'config', 'support'],
  pipeline: ['core', 'rendering', 'store', 'classroom', 'drill', 'vendors', 'config', 'support', 'report'],
  service: ['core', 'rendering', 'store', 'classroom', 'drill', 'vendors', 'config', 'support', 'report', 'pipeline'],
};

const room = (name) => `^src/${name}(/|\\.ts$)`;

const layering = Object.entries(MAY_IMPORT).map(([name, allowed]) => ({
  name: `layer-${name}`,
  comment: `src/${name} may import only ${allowed.length ? allowed.map((r) => `src/${r}`).join(', ') : 'nothing of the project'} (and itself)`,
  severity: 'error',
  from: { path: room(name) },
  to: { path: '^src/', pathNot: [name, ...allowed].map(room) },
}));

module.exports = {
  forbidden: [
    ...layering,
    {
      name: 'not-to-cli',
      comment: 'the CLI is the top floor: nothing but the CLI itself imports it',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli(/|\\.ts$)'] },
      to: { path: '^src/cli(/|\\.ts$)' },
    },
    {
      name: 'entry-stays-thin',
      comment: "src/index.ts (what drill and config files import as 'supportdrill') re-exports definitions only",
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/drill/', '^src/config/', '^src/classroom/'] },
    },
    {
      name: 'no-circular',
      comment: 'no import loops, inside a room or across rooms',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    // Type-only imports are arrows too: a type from a higher floor couples the lower one to it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
