import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts', 'src/decode-bench.ts', 'src/run-bench.ts', 'src/pass-bench.ts', 'src/v8-child.ts', 'src/boundary-bench.ts', 'src/wat-kernels.ts', 'src/resources-bench.ts', 'src/stack-bench.ts', 'src/clients-bench.ts', 'src/clients-child.ts'],
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: true,
    target: 'node18',
    // Bundle the workspace packages so a benchmark measures the built code, as users get it.
    // run-bench.ts loads @flint/runtime from the runtime's own build instead (a computed import):
    // the runtime loads a native addon (koffi) that only resolves from the runtime's package.
    noExternal: [/^@flint\//],
    // The client benchmark's libraries load from their installed packages, as users load them.
    external: ['@sqlite.org/sqlite-wasm', '@swc/wasm', 'esbuild-wasm'],
  },
  {
    // compile-bench.ts and compile-speed.ts bundle every workspace package from its TypeScript
    // sources: what they measure is the source tree as it is, without rebuilding each package's
    // dist/ first.
    entry: ['src/compile-bench.ts', 'src/compile-speed.ts'],
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node18',
    noExternal: [/^@flint\//],
    esbuildOptions(options) {
      options.conditions = ['@flint/source'];
    },
  },
]);
