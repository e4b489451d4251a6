// The layering check must catch what it exists to catch: run it on small synthetic workspaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLayering } from '../check-layering.mjs';

function workspace(packages) {
  const root = mkdtempSync(join(tmpdir(), 'flint-layering-'));
  for (const [dir, { name, deps = [], source }] of Object.entries(packages)) {
    mkdirSync(join(root, dir, 'src'), { recursive: true });
    const dependencies = Object.fromEntries(deps.map((d) => [d, 'workspace:*']));
    writeFileSync(join(root, dir, 'package.json'), JSON.stringify({ name, dependencies }));
    writeFileSync(join(root, dir, 'src', 'index.ts'), source);
  }
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
