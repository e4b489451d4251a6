import { it } from 'vitest';
import { ModuleBuilder, op } from '../src/testing/index.ts';
import { decodeModule } from '../src/streaming.ts';
import { OperatorReader } from '../src/operators.ts';
import { validateModule } from '../src/validate/module-validator.ts';
it('perf', () => {
  const b = new ModuleBuilder();
  const t = b.addType({ params: [0x7f], results: [0x7f] });
  const body: number[] = [...op('local.get', 0)];
  for (let i = 0; i < 100000; i++) body.push(...op('local.get', 0), ...op('i32.add'), ...op('block', 0x7f), ...op('i32.const', 1), ...op('end'), ...op('i32.sub'));
  body.push(...op('end'));
  b.addFunction(t, [], body);
  const m = decodeModule(b.toBytes());
  const r = new OperatorReader();
  for (let k = 0; k < 3; k++) { const s = performance.now(); r.read(m.codes[0]!.code, 0, { visit() {} }); console.log('read ms', (performance.now() - s).toFixed(1)); }
  for (let k = 0; k < 3; k++) { const s = performance.now(); validateModule(m); console.log('validate ms', (performance.now() - s).toFixed(1)); }
}, 120000);
