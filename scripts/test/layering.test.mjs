// The layering check must catch what it exists to catch: run it on small synthetic workspaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkLayering } from '../check-layering.mjs';

/** A workspace of packages, each with `src/index.ts` = `source` and any `files` (path → text) beside it. */
function workspace(packages, rootFiles = {}) {
  const root = mkdtempSync(join(tmpdir(), 'flint-layering-'));
  for (const [dir, { name, deps = [], devDeps = [], source = 'export {};\n', files = {} }] of Object.entries(packages)) {
    const dependencies = Object.fromEntries(deps.map((d) => [d, 'workspace:*']));
    const devDependencies = Object.fromEntries(devDeps.map((d) => [d, 'workspace:*']));
    for (const [path, text] of Object.entries({ 'src/index.ts': source, ...files })) {
      mkdirSync(dirname(join(root, dir, path)), { recursive: true });
      writeFileSync(join(root, dir, path), text);
    }
    writeFileSync(join(root, dir, 'package.json'), JSON.stringify({ name, dependencies, devDependencies }));
  }
  for (const [path, text] of Object.entries(rootFiles)) writeFileSync(join(root, path), text);
  return root;
}

test('the real workspace has no violations', () => {
  const { problems, checked } = checkLayering(new URL('../..', import.meta.url).pathname);
  assert.deepEqual(problems, []);
  assert.ok(checked > 0);
});

test('a compiler importing a concrete backend is reported', () => {
  const root = workspace({
    'packages/compiler-baseline': {
      name: '@flint/compiler-baseline',
      deps: ['@flint/codegen-x64'],
      source: "import { Assembler } from '@flint/codegen-x64/assembler';\n",
    },
  });
  const { problems } = checkLayering(root);
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems.join('\n'), /compiler-baseline.*codegen-x64/);
});

test('the decoder importing any workspace package is reported', () => {
  const root = workspace({
    'packages/decoder': { name: '@flint/decoder', deps: [], source: "export { x } from '@flint/backend';\n" },
  });
  const { problems } = checkLayering(root);
  assert.ok(problems.some((p) => p.includes('may not use')));
  assert.ok(problems.some((p) => p.includes('does not declare')));
});

test('a backend may import only the contract', () => {
  const ok = workspace({
    'packages/codegen-arm64': {
      name: '@flint/codegen-arm64',
      deps: ['@flint/backend'],
      source: "import type { Backend } from '@flint/backend';\n",
    },
  });
  assert.deepEqual(checkLayering(ok).problems, []);
  const bad = workspace({
    'packages/codegen-arm64': {
      name: '@flint/codegen-arm64',
      deps: ['@flint/decoder'],
      source: "import { OPERATORS } from '@flint/decoder';\n",
    },
  });
  assert.equal(checkLayering(bad).problems.length, 2);
});

test('tools above the runtime may not reach a backend directly', () => {
  const root = workspace({
    'packages/cli': { name: '@flint/cli', deps: ['@flint/codegen-x64'], source: "import '@flint/codegen-x64';\n" },
  });
  assert.equal(checkLayering(root).problems.length, 2);
});

test('a backend package nobody listed is covered by its name: it may import only the contract, and no compiler may import it', () => {
  const root = workspace({
    'packages/codegen-riscv64': { name: '@flint/codegen-riscv64', deps: ['@flint/decoder'], source: "import { OPERATORS } from '@flint/decoder';\n" },
    'packages/compiler-optimizing': {
      name: '@flint/compiler-optimizing',
      deps: ['@flint/codegen-riscv64'],
      source: "import { riscv64Backend } from '@flint/codegen-riscv64';\n",
    },
  });
  const problems = checkLayering(root).problems.join('\n');
  assert.match(problems, /codegen-riscv64\/src\/index\.ts: imports @flint\/decoder, which @flint\/codegen-riscv64 may not use/);
  assert.match(problems, /compiler-optimizing\/src\/index\.ts: imports @flint\/codegen-riscv64, which @flint\/compiler-optimizing may not use/);
  assert.match(problems, /@flint\/compiler-optimizing: package\.json depends on @flint\/codegen-riscv64/);
});

test('a package without a layering rule is reported (default deny)', () => {
  const root = workspace({ 'packages/shiny': { name: '@flint/shiny', deps: [], source: 'export const x = 1;\n' } });
  const { problems } = checkLayering(root);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /@flint\/shiny \(packages\/shiny\): no layering rule/);
});

test('relative imports may not leave their package, except for the shared vitest configuration', () => {
  const root = workspace(
    {
      'packages/codegen-x64': { name: '@flint/codegen-x64', deps: ['@flint/backend'] },
      'packages/compiler-baseline': {
        name: '@flint/compiler-baseline',
        files: {
          'bench/speed.ts': "import { x64Backend } from '../../codegen-x64/src/index.ts';\nimport { here } from '../src/index.ts';\n",
          'test/support/deep.ts': "export * from '../../src/index.ts';\n",
          'vitest.config.ts': "export { default } from '../../vitest.shared.ts';\n",
        },
      },
      'packages/decoder': { name: '@flint/decoder', files: { 'test/x.test.ts': "const m = await import('../../text/src/index.ts');\n" } },
    },
    { 'vitest.shared.ts': 'export default {};\n' },
  );
  const problems = checkLayering(root).problems;
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0], /compiler-baseline\/bench\/speed\.ts: imports \.\.\/\.\.\/codegen-x64\/src\/index\.ts, outside @flint\/compiler-baseline/);
  assert.match(problems[1], /decoder\/test\/x\.test\.ts: imports \.\.\/\.\.\/text\/src\/index\.ts, outside @flint\/decoder/);
});

test('test folders obey their package\'s layer, in every import form', () => {
  const root = workspace({
    'packages/compiler-baseline': {
      name: '@flint/compiler-baseline',
      deps: ['@flint/decoder', '@flint/backend'],
      files: {
        'test/native.test.ts': "import { x64Backend } from '@flint/codegen-x64';\n",
        'test/helpers.cjs': "const { arm64Backend } = require('@flint/codegen-arm64');\n",
        'test/lazy.test.ts': "const runtime = await import('@flint/runtime');\n",
      },
    },
  });
  const problems = checkLayering(root).problems.join('\n');
  for (const [file, dep] of [['native.test.ts', 'codegen-x64'], ['helpers.cjs', 'codegen-arm64'], ['lazy.test.ts', 'runtime']]) {
    assert.match(problems, new RegExp(`test/${file.replace('.', '\\.')}: imports @flint/${dep}, which @flint/compiler-baseline may not use`));
  }
});

test('the test-support package serves tests of any layer, and no published package\'s code', () => {
  const ok = workspace({
    'packages/decoder': { name: '@flint/decoder', devDeps: ['@flint/test-support'], files: { 'test/a.test.ts': "import { TESTSUITE } from '@flint/test-support';\n" } },
    'tests/support': { name: '@flint/test-support' },
  });
  assert.deepEqual(checkLayering(ok).problems, []);
  const bad = workspace({
    'packages/backend': { name: '@flint/backend', deps: ['@flint/test-support'], source: "import { available } from '@flint/test-support';\n" },
    'tests/support': { name: '@flint/test-support' },
  });
  const problems = checkLayering(bad).problems.join('\n');
  assert.match(problems, /@flint\/backend: @flint\/test-support is for tests only; declare it in devDependencies/);
  assert.match(problems, /backend\/src\/index\.ts: imports @flint\/test-support, which is for tests only/);
});
