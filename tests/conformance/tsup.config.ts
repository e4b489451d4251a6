import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts', 'src/cli.ts', 'src/worker.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node18',
  },
  // The child process of executing engines: one CommonJS file for Node 18 (the arm64 sysroot's
  // Node runs it under qemu) with every workspace package inlined from its sources; koffi stays
  // a require() that the parent points at the right CPU's build through NODE_PATH.
  {
    entry: { 'exec-child': 'src/exec-child.ts' },
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    platform: 'node',
    target: 'node18',
    noExternal: [/^@flint\//],
    external: ['koffi'],
    dts: false,
    sourcemap: false,
    clean: false,
    esbuildOptions(options) {
      options.conditions = ['@flint/source'];
    },
  },
]);
