#!/usr/bin/env node
// Scaffolds a workspace package with the shape every Flint package shares:
// an exports map with a `@flint/source` condition (tests and typechecks read TypeScript
// sources without a build), `types`, `sideEffects: false`, tsup, vitest and a README.
//   node scripts/new-package.mjs <dir> <name> "<one-sentence role>" [dep ...]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [dir, name, role, ...deps] = process.argv.slice(2);
if (!dir || !name || !role) {
  console.error('usage: new-package.mjs <dir> <name> "<role>" [dep ...]');
  process.exit(2);
}
const isPrivate = !dir.startsWith('packages/');
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'test'), { recursive: true });
const pkg = {
  name,
  version: '0.1.0',
  description: role,
  ...(isPrivate ? { private: true } : {}),
  type: 'module',
  sideEffects: false,
  exports: {
    '.': { '@flint/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
    './package.json': './package.json',
  },
  files: ['dist'],
  scripts: {
    build: 'tsup',
    test: 'vitest run',
    typecheck: 'tsc -p tsconfig.json',
    lint: 'node ../../scripts/lint-package.mjs',
  },
  dependencies: Object.fromEntries(deps.map((d) => [d, 'workspace:*'])),
  license: 'Apache-2.0',
};
const write = (file, text) => {
  if (!existsSync(join(dir, file))) writeFileSync(join(dir, file), text);
};
write('package.json', JSON.stringify(pkg, null, 2) + '\n');
write('tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src', 'test'] }, null, 2) + '\n');
write(
  'tsup.config.ts',
  `import { defineConfig } from 'tsup';\n\nexport default defineConfig({\n  entry: ['src/index.ts'],\n  format: ['esm'],\n  dts: true,\n  sourcemap: true,\n  clean: true,\n  target: 'node18',\n});\n`,
);
write('vitest.config.ts', `export { default } from '../../vitest.shared.ts';\n`);
write('src/index.ts', `export {};\n`);
write('README.md', `# ${name}\n\n${role}\n`);
