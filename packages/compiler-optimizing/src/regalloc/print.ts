// Text of a VCode and its allocation, for tests and debugging: one line per instruction with its
// operands (`def v70=r0`), and the allocator's edits before it.

import { EditKind, FIRST_VIRTUAL_REG, OperandKind, type Allocation, type VCode } from '@flint/backend';

const KIND = ['use', 'def', 'early'];

export function printVCode(code: VCode, alloc: Allocation | null = null, opcodeName: (op: number) => string = (op) => `op${op}`): string {
  const lines: string[] = [];
  const reg = (r: number): string => (r < FIRST_VIRTUAL_REG ? `r${r}` : `v${r}`);
  let e = 0;
  for (let b = 0; b < code.blockCount; b++) {
    const params: string[] = [];
    for (let k = 0; k < code.paramCount[b]!; k++) params.push(reg(code.blockParam(b, k)));
    const succs: number[] = [];
    for (let k = 0; k < code.succCount[b]!; k++) succs.push(code.succ(b, k));
    lines.push(`block${b}(${params.join(', ')}) succs [${succs.join(', ')}] depth ${code.blockLoopDepth[b]}:`);
    for (let i = code.blockFirst[b]!; i < code.blockEnd[b]!; i++) {
      if (alloc !== null) {
        for (; e < alloc.editCount && alloc.editInst[e]! <= i; e++) {
          const kind = alloc.editKind[e];
          const from = kind === EditKind.Reload ? `slot${alloc.editFrom[e]}` : `r${alloc.editFrom[e]}`;
          const to = kind === EditKind.Spill ? `slot${alloc.editTo[e]}` : `r${alloc.editTo[e]}`;
          lines.push(`    ${['move', 'spill', 'reload'][kind!]} ${from} -> ${to}`);
        }
      }
      const ops: string[] = [];
      for (let k = code.operandStart[i]!; k < code.operandStart[i]! + code.operandCount[i]!; k++) {
        const kind = code.operandKind[k]!;
        let text = `${KIND[kind]} ${reg(code.operandReg[k]!)}`;
        if (alloc !== null) text += `=r${alloc.operandAlloc[k]}`;
        ops.push(text);
        void OperandKind;
      }
      const imms = [code.imm0[i], code.imm1[i], code.imm2[i], code.imm3[i]].join(' ');
      lines.push(`  ${i}: ${opcodeName(code.opcode[i]!)} [${imms}] ${ops.join(', ')}`);
    }
    if (code.argCount[b]! > 0) {
      const args: string[] = [];
      for (let k = 0; k < code.argCount[b]!; k++) args.push(reg(code.branchArg(b, k)));
      lines.push(`  args (${args.join(', ')})`);
    }
  }
  return lines.join('\n');
}
