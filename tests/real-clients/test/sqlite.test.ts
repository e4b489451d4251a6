import { expect } from 'vitest';
import { describeClient } from './support/client-suite.ts';

describeClient('sqlite', (result) => {
  const { version, totals, byRegion, topCustomers, idle, movingAverage } = result as Record<string, unknown[][]> & { version: string };
  expect(version).toBe('3.41.2');
  // 4000 orders over the first 320 customers; the other 80 ordered nothing.
  expect(totals[0]![0]).toBe(4000);
  expect(idle).toEqual([[80]]);
  expect(byRegion.map((row) => row[0])).toEqual(['central', 'east', 'north', 'south', 'west']);
  expect(byRegion.reduce((sum, row) => sum + (row[1] as number), 0)).toBe(4000);
  expect(topCustomers).toHaveLength(12);
  expect(movingAverage).toHaveLength(40);
});
