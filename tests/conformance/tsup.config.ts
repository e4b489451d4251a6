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
  // a require() that the parent points at the right CPU's build through NODE_PATH. CommonJS has no
  // import.meta, so `import.meta.url` is this file's URL: the runtime then looks for its compile
  // worker next to the bundle, finds none, and compiles in the child's own thread (the harness
  // already runs one child per core).
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
    banner: { js: "const __flintImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    esbuildOptions(options) {
      options.conditions = ['@flint/source'];
      options.define = { ...options.define, 'import.meta.url': '__flintImportMetaUrl' };
    },
  },
]);
