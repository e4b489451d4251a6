// Locals (with the initialization rule for non-defaultable locals) and globals.
// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#variable-instructions
import type { GlobalType } from '../types.ts';
import type { FunctionValidator } from './function-validator.ts';
import { type HandlerTable, on } from './handler-table.ts';

function globalType(v: FunctionValidator, index: number): GlobalType {
  const globals = v.ctx.module.globals;
  const limit = v.constMode ? v.constGlobalLimit : globals.length;
  if (index >= limit) v.fail(`unknown global ${index}`, v.constMode ? `only ${limit} globals precede this constant expression` : `the module has ${globals.length} globals`);
  return globals[index]!;
}

export function installVariables(t: HandlerTable): void {
  on(t, 'local.get', (v, imm) => {
    const type = v.localType(imm.index);
    if (!v.isLocalSet(imm.index)) v.fail('uninitialized local', `local ${imm.index} of non-defaultable type is read before it is set`);
    v.push(type);
  });
  on(t, 'local.set', (v, imm) => {
    v.popExpect(v.localType(imm.index));
    v.markLocalSet(imm.index);
  });
  on(t, 'local.tee', (v, imm) => {
    const type = v.localType(imm.index);
    v.popExpect(type);
    v.markLocalSet(imm.index);
    v.push(type);
  });
  on(t, 'global.get', (v, imm) => {
    const global = globalType(v, imm.index);
    if (v.constMode && global.mutable) v.fail('constant expression required', `global.get of mutable global ${imm.index}`);
    v.push(global.type);
  });
  on(t, 'global.set', (v, imm) => {
    const global = globalType(v, imm.index);
    if (!global.mutable) v.fail('immutable global', `global.set of immutable global ${imm.index}`);
    v.popExpect(global.type);
  });
}
