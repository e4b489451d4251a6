#!/usr/bin/env node
// Checks that workspace dependencies point one way (docs/adr/0001-layout-and-dependencies.md):
//  - the decoder and the backend contract import no other workspace package;
//  - compilers never import a concrete backend;
//  - backends import only the backend contract;
//  - only the runtime (and the tools above it) know which backends exist.
// It reads both package.json dependencies and the import specifiers actually used in src/.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

import { fileURLToPath } from 'node:url';
const BACKENDS = ['@flint/codegen-x64', '@flint/codegen-arm64'];

/** For each package: the workspace packages it may import. `null` means any. */
const ALLOWED = {
  '@flint/decoder': [],
  '@flint/backend': [],
  '@flint/wasi': [],
  '@flint/text': ['@flint/decoder'],
  '@flint/compiler-baseline': ['@flint/decoder', '@flint/backend'],
  '@flint/compiler-optimizing': ['@flint/decoder', '@flint/backend'],
  '@flint/codegen-x64': ['@flint/backend'],
  '@flint/codegen-arm64': ['@flint/backend'],
  '@flint/runtime': ['@flint/decoder', '@flint/backend', '@flint/compiler-baseline', '@flint/compiler-optimizing', ...BACKENDS],
};
/** Packages above the runtime may use anything except a concrete backend directly. */
const ABOVE_RUNTIME_FORBIDDEN = BACKENDS;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (/\.(m?ts|m?js)$/.test(name)) yield path;
  }
}

const importRe = /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
/** Returns the list of violations in the workspace at `root`, and how many files were read. */
export function checkLayering(root) {
const problems = [];
const packageDirs = ['packages', 'apps', 'tests'].flatMap((group) =>
  existsSync(join(root, group)) ? readdirSync(join(root, group)).map((d) => join(root, group, d)) : [],
);
let checked = 0;
for (const dir of packageDirs) {
  const pkgPath = join(dir, 'package.json');
  if (!existsSync(pkgPath)) continue;
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const allowed = ALLOWED[pkg.name];
  const isAllowed = (dep) =>
    allowed ? allowed.includes(dep) : !ABOVE_RUNTIME_FORBIDDEN.includes(dep) || pkg.name === dep;
  const declared = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies }).filter((d) =>
    d.startsWith('@flint/'),
  );
  for (const dep of declared) {
    if (!isAllowed(dep)) problems.push(`${pkg.name}: package.json depends on ${dep}, which its layer may not use`);
  }
  const src = join(dir, 'src');
  if (!existsSync(src)) continue;
  for (const file of walk(src)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec?.startsWith('@flint/')) continue;
      const dep = spec.split('/').slice(0, 2).join('/');
      if (dep === pkg.name) continue;
      if (!isAllowed(dep)) problems.push(`${relative(root, file)}: imports ${spec}, which ${pkg.name} may not use`);
      if (!declared.includes(dep)) problems.push(`${relative(root, file)}: imports ${spec} but package.json does not declare it`);
    }
    checked++;
  }
}
return { problems, checked };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { problems, checked } = checkLayering(fileURLToPath(new URL('..', import.meta.url)));
  if (problems.length) {
  console.error(`layering: ${problems.length} violation(s)\n  ` + problems.join('\n  '));
  process.exit(1);
}
console.log(`layering: ${checked} source files checked, dependencies point one way`);
}
