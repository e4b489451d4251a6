// Bundles the arm64 conformance runner (packages/codegen-arm64/test/qemu/conformance-runner.ts)
// into one CommonJS file for Node 18, so the emulated Node runs plain JavaScript: workspace
// packages resolve to their TypeScript sources through the `@flint/source` condition and are
// inlined; koffi stays a run-time require of the arm64 build named by $KOFFI.
// Usage (from the repository root): npx tsup --config packages/codegen-arm64/emulation/tsup.qemu-runner.config.ts
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { 'conformance-runner': 'packages/codegen-arm64/test/qemu/conformance-runner.ts' },
  outDir: process.env.FLINT_ARM64_RUNNER_DIR ?? '.cache/arm64-runner',
  format: ['cjs'],
  platform: 'node',
  target: 'node18',
  bundle: true,
  noExternal: [/.*/],
  dts: false,
  sourcemap: false,
  clean: false,
  silent: true,
  esbuildOptions(options) {
    options.conditions = ['@flint/source'];
  },
});
