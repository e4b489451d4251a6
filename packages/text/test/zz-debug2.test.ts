import { it } from 'vitest';
import { parseWat, printModule } from '../src/index.ts';
import { readFileSync } from 'node:fs';
it('show', () => {
  const src = readFileSync('/work/shared/spec-testsuite/fac.wast', 'utf8');
  const end = src.indexOf('\n(assert_return');
  console.log(printModule(parseWat(src.slice(0, end)), { folded: true }).slice(0, 2500));
});
