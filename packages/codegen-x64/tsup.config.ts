import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'assembler/index': 'src/assembler/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node18',
});
