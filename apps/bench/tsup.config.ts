import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/decode-bench.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node18',
  // Bundle the workspace packages so a benchmark measures the built code, as users get it.
  noExternal: [/^@flint\//],
});
