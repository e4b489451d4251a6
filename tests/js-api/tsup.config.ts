import { defineConfig } from 'tsup';

// cli.js runs the suite; child.js is the process each (file, engine) runs in. @flint/runtime
// stays an import of the built package: the suite tests what users get.
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts', 'src/child.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
