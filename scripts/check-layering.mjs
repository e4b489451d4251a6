#!/usr/bin/env node
// Checks that workspace dependencies point one way (docs/adr/0001-layout-and-dependencies.md):
//  - the decoder, the backend contract and WASI import no other workspace package;
//  - compilers (`@flint/compiler-*`) never import a concrete backend (`@flint/codegen-*`);
//  - backends import only the backend contract;
//  - only the runtime knows which backends exist; the tools above it may use anything else.
// Default deny: every workspace package needs a rule below (an unknown package fails the check),
// backends and compilers are matched by name pattern, so a new `@flint/codegen-*` package is
// covered without an edit. Test-only packages (`@flint/test-support`) serve every package's
// tests and no published package's code. Every script of a package is read — src/, test/, bench/, config
// files — and relative imports must stay inside their package (the workspace's shared vitest
// configuration at the root excepted), so no folder can reach around a package's exports map.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test-only packages: any package's tests may use them (declared as devDependencies), and no
 * published package's src/ may.
 */
const TEST_ONLY = ['@flint/test-support'];
const COMPILERS = /^@flint\/compiler-/;
const BACKENDS = /^@flint\/codegen-/;
/** Above the runtime: anything in the workspace except a concrete backend (the runtime picks it). */
const ABOVE_RUNTIME = { except: [BACKENDS] };

/**
 * The layer of each package, first match wins: `may` lists the workspace packages it may import
 * (names or patterns), or `{ except }` for "any but these".
 */
const RULES = [
  { name: '@flint/decoder', may: [] },
  { name: '@flint/backend', may: [] },
  { name: '@flint/wasi', may: [] },
  { name: '@flint/text', may: ['@flint/decoder'] },
  { name: COMPILERS, may: ['@flint/decoder', '@flint/backend'] },
  { name: BACKENDS, may: ['@flint/backend'] },
  { name: '@flint/runtime', may: ['@flint/decoder', '@flint/backend', COMPILERS, BACKENDS] },
  { name: '@flint/wast', may: ['@flint/runtime', '@flint/text'] },
  { name: '@flint/cli', may: ABOVE_RUNTIME },
  // Benchmarks time one piece alone (a compiler through one backend, no runtime around it).
  { name: '@flint/bench', may: { except: [] } },
  { name: '@flint/conformance', may: ABOVE_RUNTIME },
  { name: '@flint/differential', may: ABOVE_RUNTIME },
  { name: '@flint/execution-tests', may: ABOVE_RUNTIME },
  { name: '@flint/js-api-tests', may: ABOVE_RUNTIME },
  { name: '@flint/real-clients', may: ABOVE_RUNTIME },
  { name: '@flint/test-support', may: [] },
];

/** Files at the workspace root that a package's own configuration may import by path. */
const SHARED_ROOT_FILES = ['vitest.shared.ts'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist']);

const matches = (pattern, name) => (typeof pattern === 'string' ? pattern === name : pattern.test(name));

function ruleOf(name) {
  return RULES.find((rule) => matches(rule.name, name));
}

function mayImport(rule, dep) {
  if (Array.isArray(rule.may)) return rule.may.some((pattern) => matches(pattern, dep));
  return !rule.may.except.some((pattern) => matches(pattern, dep));
}

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    if (SKIPPED_DIRS.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (/\.(m|c)?(ts|js)$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

const importRe =
  /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Returns the list of violations in the workspace at `root`, and how many files were read. */
export function checkLayering(root) {
  const problems = [];
  const packageDirs = ['packages', 'apps', 'tests'].flatMap((group) =>
    existsSync(join(root, group)) ? readdirSync(join(root, group)).sort().map((d) => join(root, group, d)) : [],
  );
  const shared = new Set(SHARED_ROOT_FILES.map((file) => resolve(root, file)));
  let checked = 0;
  for (const dir of packageDirs) {
    const pkgPath = join(dir, 'package.json');
    if (!existsSync(pkgPath)) continue;
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    const rule = ruleOf(pkg.name);
    if (rule === undefined) {
      problems.push(`${pkg.name} (${relative(root, dir)}): no layering rule; add its layer to scripts/check-layering.mjs`);
      continue;
    }
    const declared = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies }).filter((d) => d.startsWith('@flint/'));
    const published = pkg.private !== true;
    for (const dep of declared) {
      if (TEST_ONLY.includes(dep)) {
        if (published && pkg.dependencies?.[dep] !== undefined) problems.push(`${pkg.name}: ${dep} is for tests only; declare it in devDependencies`);
      } else if (!mayImport(rule, dep)) problems.push(`${pkg.name}: package.json depends on ${dep}, which its layer may not use`);
    }
    const srcDir = join(dir, 'src') + sep;
    for (const file of walk(dir)) {
      const text = readFileSync(file, 'utf8');
      const where = relative(root, file);
      for (const m of text.matchAll(importRe)) {
        const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          if (target !== dir && !target.startsWith(dir + sep) && !shared.has(target)) {
            problems.push(`${where}: imports ${spec}, outside ${pkg.name}; depend on the package and import it by name`);
          }
          continue;
        }
        if (!spec.startsWith('@flint/')) continue;
        const dep = spec.split('/').slice(0, 2).join('/');
        if (dep === pkg.name) continue;
        if (TEST_ONLY.includes(dep)) {
          if (published && file.startsWith(srcDir)) problems.push(`${where}: imports ${spec}, which is for tests only`);
        } else if (!mayImport(rule, dep)) problems.push(`${where}: imports ${spec}, which ${pkg.name} may not use`);
        if (!declared.includes(dep)) problems.push(`${where}: imports ${spec} but package.json does not declare it`);
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
