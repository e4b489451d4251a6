import { expect } from 'vitest';
import { describeClient } from './support/client-suite.ts';

describeClient('esbuild', (result) => {
  const { typescript, tsx, bundle, warnings } = result as { typescript: string; tsx: string; bundle: string[]; warnings: unknown[][] };
  expect(typescript).not.toMatch(/interface Entry|: Level/);
  expect(typescript).toContain('module.exports');
  expect(tsx).toContain('createElement');
  expect(bundle).toHaveLength(1);
  // The plugin served the three modules; the unused export was dropped.
  expect(bundle[0]).toContain('function* range');
  expect(bundle[0]).not.toContain('tree-shaken');
  expect(warnings.flat()).toEqual([]);
});
