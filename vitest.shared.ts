// One vitest configuration for every package: tests resolve workspace packages to their
// TypeScript sources through the `@flint/source` export condition, so no build is needed.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@flint/source'] },
  ssr: { resolve: { conditions: ['@flint/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
