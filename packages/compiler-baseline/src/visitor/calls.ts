// Direct, imported and indirect calls.
// Spec: https://webassembly.github.io/spec/core/exec/instructions.html#control-instructions
//
// Every allocatable register is caller-saved in the Wasm convention, so a call first moves all
// register-held values to their spill slots, then loads the arguments straight into the
// registers `computeCallLayout` assigns, calls, and pushes the result registers. Direct calls go
// through the VM context's jump table; `call_indirect` is checked by the ISA (table bounds, null
// entry, canonical signature id).

import { BackendBailout, BailoutReason, RegClass, StackArea, hwEncodingOf, regClassOf, valueKindOf, type Reg } from '@flint/backend';
import { Op, type Immediates } from '@flint/decoder';
import type { BaselineCompiler } from '../compiler.ts';
import { emitReturn } from '../control.ts';
import { Loc, classOfKind, sizeOfKind } from '../value-stack.ts';

export function visitCall(c: BaselineCompiler, id: number, imm: Immediates): boolean {
  switch (id) {
    case Op.Call:
    case Op.ReturnCall: {
      const callee = imm.index;
      emitCall(c, c.module.functions[callee]!, 0, callee, -1, id === Op.ReturnCall);
      return true;
    }
    case Op.CallIndirect: // type = index, table = index2
    case Op.ReturnCallIndirect:
      // The ISA compares canonical type ids for equality, which is the whole check only when no
      // other type can be a subtype of this one (GC's non-final types can have subtypes).
      if (!c.module.types[imm.index]!.final) {
        throw new BackendBailout(BailoutReason.UnsupportedFeature, 'gc: call_indirect to a non-final type (subtype check)');
      }
      emitCall(c, imm.index, 1, -1, imm.index2, id === Op.ReturnCallIndirect);
      return true;
    default:
      return false;
  }
}

/**
 * The call sequence. `extra` values above the arguments (the call_indirect table index) are
 * consumed too; `callee` is a function index for direct calls, -1 for indirect ones. A tail call
 * (`tail`) leaves the function: the ISA drops the frame and jumps. A tail call to an import is
 * an ordinary call followed by a return, since the import runs in another VM context.
 */
function emitCall(c: BaselineCompiler, typeIndex: number, extra: number, callee: number, table: number, tail: boolean): void {
  const layout = c.callLayout(typeIndex);
  const outgoing = layout.stackArgBytes + layout.stackResultBytes;
  const isImport = callee >= 0 && callee < c.module.numImportedFunctions;
  if (tail && !isImport && outgoing > 0) {
    throw new BackendBailout(BailoutReason.UnsupportedFeature, 'tail calls with stack arguments or stack results');
  }
  const s = c.stack;
  const argCount = layout.params.length;
  const first = s.height - extra - argCount;
  // Values that outlive the call go to their slots: every allocatable register is caller-saved.
  for (let i = s.firstLive; i < first; i++) if (s.loc[i] === Loc.Reg) c.spillEntry(i);
  // The outgoing area holds the stack arguments, then room for the stack results.
  if (outgoing > 0) {
    c.masm.reserveStack(outgoing);
    for (let k = 0; k < argCount; k++) {
      const loc = layout.params[k]!;
      if (loc.kind !== 'stack') continue;
      const i = first + k;
      const size = sizeOfKind(s.kind[i]!);
      if (s.loc[i] === Loc.Reg) {
        c.masm.storeStackArea(StackArea.Outgoing, s.payload[i]!, loc.offset, size);
        continue;
      }
      const temp = c.allocReg(classOfKind(s.kind[i]!));
      c.loadInto(i, temp);
      c.masm.storeStackArea(StackArea.Outgoing, temp, loc.offset, size);
      c.regs.free(temp);
    }
  }
  // An argument (or the table index) sitting in another argument's register would be overwritten
  // while the arguments are placed: spill it. Everything else moves straight to its register.
  let intTargets = 0;
  let floatTargets = 0;
  for (let k = 0; k < argCount; k++) {
    const loc = layout.params[k]!;
    if (loc.kind !== 'reg') continue;
    if (regClassOf(loc.reg) === RegClass.Int) intTargets |= 1 << hwEncodingOf(loc.reg);
    else floatTargets |= 1 << hwEncodingOf(loc.reg);
  }
  for (let i = first; i < s.height; i++) {
    if (s.loc[i] !== Loc.Reg) continue;
    const reg = s.payload[i]!;
    const targets = regClassOf(reg) === RegClass.Int ? intTargets : floatTargets;
    const ownLoc = i - first < argCount ? layout.params[i - first]! : null;
    const own = ownLoc !== null && ownLoc.kind === 'reg' ? ownLoc.reg : -1;
    if (((targets >>> hwEncodingOf(reg)) & 1) === 1 && reg !== own) c.spillEntry(i);
  }
  for (let k = 0; k < argCount; k++) {
    const loc = layout.params[k]!;
    if (loc.kind !== 'reg') continue;
    const target = loc.reg;
    const i = first + k;
    if (s.loc[i] === Loc.Reg && s.payload[i] === target) continue;
    c.regs.claim(target);
    c.loadInto(i, target);
    if (s.loc[i] === Loc.Reg) c.regs.free(s.payload[i]!);
  }
  const indexEntry = s.height - 1;
  s.height = first;
  let index: Reg = -1;
  if (table >= 0) {
    if (s.loc[indexEntry] === Loc.Reg) index = s.payload[indexEntry]!;
    else {
      index = c.allocReg(RegClass.Int);
      c.loadInto(indexEntry, index);
    }
  }
  if (tail && !isImport) {
    if (callee < 0) c.masm.returnCallIndirect(table, typeIndex, index);
    else c.masm.returnCallDirect(callee);
    for (let k = 0; k < argCount; k++) {
      const loc = layout.params[k]!;
      if (loc.kind === 'reg') c.regs.free(loc.reg);
    }
    if (index >= 0) c.regs.free(index);
    c.reachable = false;
    return;
  }
  if (callee < 0) c.masm.callIndirect(table, typeIndex, index);
  else if (isImport) c.masm.callImport(callee);
  else c.masm.callDirect(callee);
  for (let k = 0; k < argCount; k++) {
    const loc = layout.params[k]!;
    if (loc.kind === 'reg') c.regs.free(loc.reg);
  }
  if (index >= 0) c.regs.free(index);
  // Results: claim the result registers first, so moving stack results cannot clobber them.
  const type = c.funcType(typeIndex);
  for (const loc of layout.results) if (loc.kind === 'reg') c.regs.claim(loc.reg);
  for (let k = 0; k < layout.results.length; k++) {
    const loc = layout.results[k]!;
    const kind = valueKindOf(type.results[k]!);
    if (loc.kind === 'reg') {
      c.pushRegKind(loc.reg, kind);
      continue;
    }
    // A stack result goes straight to the spill slot of its value-stack position.
    const temp = c.allocReg(classOfKind(kind));
    c.masm.loadStackArea(StackArea.Outgoing, temp, layout.stackArgBytes + loc.offset, sizeOfKind(kind));
    c.masm.spill(c.slotOf(s.height), temp, sizeOfKind(kind));
    c.regs.free(temp);
    s.push(Loc.Stack, kind, 0, 0, 0);
  }
  if (outgoing > 0) c.masm.freeStack(outgoing);
  if (tail) emitReturn(c);
}

