// Memory operators without a fixed signature: size/grow and bulk memory. Loads, stores, atomics
// and SIMD memory operators are typed from the opcode table (see `visitFixed`).
// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#memory-instructions
import { ValType } from '../types.ts';
import type { FunctionValidator } from './function-validator.ts';
import { type HandlerTable, on } from './handler-table.ts';

/**
 * Data segment indices. `memory.init`, `data.drop` and `array.*_data` need the data count
 * section so that single-pass decoders know the segments before the code; an index that no
 * segment has is "unknown" whether or not the count is present.
 */
export function checkDataIndex(v: FunctionValidator, index: number): void {
  const declared = v.ctx.dataCount;
  const count = declared >= 0 ? declared : v.ctx.module.datas.length;
  if (index >= count) v.fail(`unknown data segment ${index}`, `the module has ${count} data segments`);
  if (declared < 0) v.fail('data count section required', `${v.op!.name} names a data segment but the module has no data count section`);
}

export function installMemory(t: HandlerTable): void {
  on(t, 'memory.size', (v, imm) => {
    v.push(v.memoryAddress(imm.index));
  });
  on(t, 'memory.grow', (v, imm) => {
    const address = v.memoryAddress(imm.index);
    v.popExpect(address);
    v.push(address);
  });
  on(t, 'memory.fill', (v, imm) => {
    const address = v.memoryAddress(imm.index);
    v.popExpect(address);
    v.popExpect(ValType.I32);
    v.popExpect(address);
  });
  on(t, 'memory.copy', (v, imm) => {
    const destination = v.memoryAddress(imm.index);
    const source = v.memoryAddress(imm.index2);
    // The length is an i64 only when both memories are 64-bit.
    v.popExpect(destination === ValType.I64 && source === ValType.I64 ? ValType.I64 : ValType.I32);
    v.popExpect(source);
    v.popExpect(destination);
  });
  on(t, 'memory.init', (v, imm) => {
    const address = v.memoryAddress(imm.index2);
    checkDataIndex(v, imm.index);
    v.popExpect(ValType.I32);
    v.popExpect(ValType.I32);
    v.popExpect(address);
  });
  on(t, 'data.drop', (v, imm) => {
    checkDataIndex(v, imm.index);
  });
}
