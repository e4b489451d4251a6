import { expect } from 'vitest';
import { describeClient } from './support/client-suite.ts';

describeClient('swc', (result) => {
  const { transformed, jsx, minified } = result as Record<string, string>;
  // Types erased, the enum and the decorator lowered, CommonJS exports.
  expect(transformed).not.toMatch(/interface Entry|: Level|<T>/);
  expect(transformed).toMatch(/Object\.defineProperty\(exports/);
  expect(transformed).toContain('Logger');
  expect(jsx).toContain('React.createElement');
  expect(minified.length).toBeGreaterThan(0);
  expect(minified.length).toBeLessThan(transformed.length);
});
