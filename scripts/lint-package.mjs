#!/usr/bin/env node
// Checks the shape every Flint package shares (run from a package folder by `turbo run lint`):
//  - an `exports` map whose entries carry `@flint/source`, `types` and `default` conditions;
//  - `sideEffects: false` and the `@flint/` scope;
//  - `src/index.ts` (and each `testing`/subpath entry) holds named re-exports only;
//  - a README that opens with the package's role, says what it may depend on, and has an example.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const problems = [];
const where = pkg.name ?? dir;

if (!pkg.name?.startsWith('@flint/')) problems.push('name must be in the @flint/ scope');
if (pkg.sideEffects !== false) problems.push('sideEffects must be false');
const entries = [];
for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
  if (subpath === './package.json') continue;
  if (typeof target !== 'object') {
    problems.push(`exports["${subpath}"] must be a conditions object`);
    continue;
  }
  const keys = Object.keys(target);
  if (keys[0] !== '@flint/source') problems.push(`exports["${subpath}"]: "@flint/source" must come first`);
  for (const key of ['types', 'default']) if (!(key in target)) problems.push(`exports["${subpath}"] lacks "${key}"`);
  entries.push(target['@flint/source']);
}
if (!entries.length) problems.push('no exports map');

// Entry files: only `export … from` statements, `export type … from`, and comments.
for (const entry of entries) {
  const file = join(dir, entry);
  if (!existsSync(file)) {
    problems.push(`${entry} does not exist`);
    continue;
  }
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  const statements = text.split(';').map((s) => s.trim()).filter(Boolean);
  for (const s of statements) {
    if (!/^export\s+(type\s+)?(\{[\s\S]*\}\s+from\s+['"][^'"]+['"]|\*\s+(as\s+\w+\s+)?from\s+['"][^'"]+['"]|\{\s*\})$/.test(s)) {
      problems.push(`${entry}: entry files hold named re-exports only, found: ${s.slice(0, 60)}`);
    }
  }
}

const readmePath = join(dir, 'README.md');
if (!existsSync(readmePath)) problems.push('README.md is missing');
else {
  const readme = readFileSync(readmePath, 'utf8');
  const lines = readme.split('\n').filter((l) => l.trim());
  if (!lines[0]?.startsWith('# ')) problems.push('README must start with a "# name" heading');
  if (!lines[1] || lines[1].startsWith('#')) problems.push('README must open with the one-sentence role under its heading');
  if (!/depend/i.test(readme)) problems.push('README must say what the package may depend on');
  const placeholder = /^Status: not implemented yet/m.test(readme);
  if (!pkg.private && !placeholder && !/```(ts|js|sh|bash|typescript|javascript)/.test(readme)) problems.push('README needs a runnable example');
}

if (problems.length) {
  console.error(`lint ${where}:\n  ` + problems.join('\n  '));
  process.exit(1);
}
console.log(`lint ${where}: ok`);
