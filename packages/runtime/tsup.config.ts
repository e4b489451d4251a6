import { defineConfig } from 'tsup';

export default defineConfig({
  // compile-worker.ts is the worker_threads entry the compile pool loads as dist/compile-worker.js.
  entry: ['src/index.ts', 'src/testing/index.ts', 'src/compile-worker.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node18',
});
