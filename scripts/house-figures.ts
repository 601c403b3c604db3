/**
 * The house's figures for a checkout: files and lines in src/, the largest file and function, the
 * import graph between rooms (src/<folder> or a root file), the arrows today's layering rules
 * forbid, import loops, and the places that file a ticket (calls of fileTicketOnce outside its own
 * file). Run on another checkout (an older commit in a worktree) with --root to compare.
 *
 *   npx tsx scripts/house-figures.ts [--root DIR]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const project = join(import.meta.dirname, '..');
const root = values.root ?? project;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const files = sources(join(root, 'src')).filter((f) => !f.includes('/page/'));
let lines = 0;
let largestFile = { file: '', lines: 0 };
let largestFunction = { name: '', file: '', lines: 0 };
let filingCalls = 0;

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const count = text.split('\n').length;
  lines += count;
  if (count > largestFile.lines) largestFile = { file: relative(root, file), lines: count };
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.end).line;
      const span = end - start + 1;
      if (span > largestFunction.lines) {
        const named = (node as { name?: ts.Node }).name;
        const owner = ts.isVariableDeclaration(node.parent) ? node.parent.name : undefined;
        largestFunction = { name: (named ?? owner)?.getText(sf) ?? '(anonymous)', file: relative(root, file), lines: span };
      }
    }
    if (ts.isCallExpression(node) && node.expression.getText(sf) === 'fileTicketOnce' && !file.endsWith('filing.ts')) filingCalls++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

// The room of a file: its folder under src/, or the root file's name.
const roomOf = (path: string) => {
  const rest = path.replace(/^src\//, '');
  return rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : rest.replace(/\.ts$/, '');
};

const bin = join(project, 'node_modules', '.bin', 'depcruise');
const cruise = spawnSync(bin, ['src', '--config', join(project, '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const graph = JSON.parse(cruise.stdout) as {
  modules: { source: string; dependencies: { resolved: string }[] }[];
  summary: { violations: { rule: { name: string }; from: string; to: string; cycle?: unknown[] }[] };
};
const rooms = new Set<string>();
const arrows = new Set<string>();
for (const module of graph.modules) {
  if (!module.source.startsWith('src/')) continue;
  const from = roomOf(module.source);
  rooms.add(from);
  for (const dependency of module.dependencies) {
    if (!dependency.resolved.startsWith('src/')) continue;
    const to = roomOf(dependency.resolved);
    if (to !== from) arrows.add(`${from} → ${to}`);
  }
}
const violations = graph.summary.violations;
const up = violations.filter((v) => v.rule.name.startsWith('layer-') || v.rule.name === 'not-to-cli' || v.rule.name === 'entry-stays-thin');
const upRooms = new Set(up.map((v) => `${roomOf(v.from)} → ${roomOf(v.to)}`));
const loops = violations.filter((v) => v.rule.name === 'no-circular');

console.log(`checkout: ${root}`);
console.log(`files in src/ (without page code): ${files.length}, lines: ${lines}`);
console.log(`largest file: ${largestFile.file} (${largestFile.lines} lines)`);
console.log(`largest function: ${largestFunction.name} in ${largestFunction.file} (${largestFunction.lines} lines)`);
console.log(`rooms: ${rooms.size}, arrows between rooms: ${arrows.size}`);
console.log(`imports against today's layering rules: ${up.length} (${upRooms.size} room-to-room arrows${upRooms.size ? `: ${[...upRooms].sort().join(', ')}` : ''})`);
console.log(`import loops: ${loops.length}`);
console.log(`places that file a ticket (fileTicketOnce calls): ${filingCalls}`);
