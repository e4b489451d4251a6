// The x64 MacroAssembler's emitted sequences, disassembled with objdump and compared with the
// sequence each operation is designed to emit (see the comments in src/masm/). Branch targets are
// shown as `@n`, the index of the target instruction; RIP-relative constant-pool operands as
// `[pool <bytes>]` with the bytes read from the finished code at the address objdump computed.

import { RegisterValueStack } from '@flint/backend/testing';
import {
  ConvertKind,
  CpuFeatureSet,
  DivKind,
  FloatBinaryKind,
  FloatCond,
  FloatUnaryKind,
  Imm,
  IntBinaryKind,
  IntCond,
  LoadKind,
  ShiftKind,
  StoreKind,
  TrapReason,
} from '@flint/backend';
import { describe, expect, it } from 'vitest';
import { X64_CPU_FEATURES } from '../src/cpu-features.ts';
import { X64MacroAssembler } from '../src/masm/macro-assembler.ts';
import { X64_REGISTERS, r8, rax, rcx, rdi, rdx, rsi, xmmRegs } from '../src/regs.ts';
import { disassemble, hasObjdump } from './helpers/objdump.ts';

const [xmm0, xmm1, xmm2] = [xmmRegs[0]!, xmmRegs[1]!, xmmRegs[2]!];
const TRAP_CALL = 'call qword ptr [r15+0x58]';
const trapStub = (reason: number): string[] => [`mov dword ptr [r15+0x40],0x${reason.toString(16)}`, TRAP_CALL];

const PTR_BYTES: Record<string, number> = { dword: 4, qword: 8, xmmword: 16 };
const hexBytes = (bytes: ArrayLike<number>): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
function f64Bytes(value: number): string {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, value, true);
  return hexBytes(b);
}
function f32Bytes(value: number): string {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, value, true);
  return hexBytes(b);
}

/** Finishes `masm` and returns its instructions up to the last `ret` or trap call. */
function listing(masm: X64MacroAssembler): string[] {
  const { code } = masm.finish();
  const insns = disassemble(code);
  let end = -1;
  insns.forEach((insn, k) => {
    if (insn.text === 'ret' || insn.text === TRAP_CALL) end = k;
  });
  const indexOf = new Map(insns.map((insn, k) => [insn.offset, k]));
  return insns.slice(0, end + 1).map((insn) => {
    let text = insn.text.replace(/^(j\w+|call) 0x([0-9a-f]+)$/, (_, op: string, hex: string) => `${op} @${indexOf.get(parseInt(hex, 16)) ?? hex}`);
    if (insn.ripTarget >= 0) {
      const size = PTR_BYTES[/(\w+) ptr \[rip/.exec(text)?.[1] ?? ''] ?? 0;
      if (size === 0) {
        // An address (lea) into the code: show the instruction it points at.
        text = text.replace(/\[rip[+-]0x[0-9a-f]+\]/, `[rip @${indexOf.get(insn.ripTarget) ?? insn.ripTarget}]`);
      } else {
        text = text.replace(/\[rip[+-]0x[0-9a-f]+\]/, `[pool ${hexBytes(code.subarray(insn.ripTarget, insn.ripTarget + size))}]`);
        if (insn.ripTarget % Math.min(size, 16) !== 0) text += ' (misaligned)';
      }
    }
    return text;
  });
}

/** Every feature the backend knows: the sequences of a CPU that has them all. */
const ALL_FEATURES = CpuFeatureSet.of(X64_CPU_FEATURES.known);

function emit(body: (m: X64MacroAssembler) => void, cpuFeatures: CpuFeatureSet = ALL_FEATURES): string[] {
  const m = new X64MacroAssembler({ cpuFeatures });
  body(m);
  m.asm.ret();
  return listing(m);
}

describe.skipIf(!hasObjdump)('x64 MacroAssembler sequences (objdump)', () => {
  // Skipped only when /usr/bin/objdump (binutils) is absent.

  it('frames: prologue with the stack-limit check, epilogue, spill and fill', () => {
    const m = new X64MacroAssembler();
    m.prologue(16); // 16 bytes of slots + the saved VM context, rounded so rsp stays 16-aligned: 24
    m.spill(8, rdi, 64);
    m.fill(xmm0, 16, 32);
    m.epilogue();
    expect(listing(m)).toEqual([
      'push rbp',
      'mov rbp,rsp',
      'push r15',
      'lea r11,[rsp-0x18]',
      'cmp r11,qword ptr [r15+0x18]',
      'jb @12',
      'mov rsp,r11',
      'mov qword ptr [rbp-0x10],rdi',
      'movss xmm0,dword ptr [rbp-0x18]',
      'mov rsp,rbp',
      'pop rbp',
      'ret',
      ...trapStub(TrapReason.CallStackExhausted),
    ]);
  });

  it('integer binary operations move lhs into dst first, and keep rhs when dst aliases it', () => {
    expect(emit((m) => m.intBinary(IntBinaryKind.Add, 32, rax, rcx, rdx))).toEqual(['mov eax,ecx', 'add eax,edx', 'ret']);
    expect(emit((m) => m.intBinary(IntBinaryKind.Sub, 64, rdx, rcx, rdx))).toEqual(['mov r11,rdx', 'mov rdx,rcx', 'sub rdx,r11', 'ret']);
    expect(emit((m) => m.intBinary(IntBinaryKind.Xor, 64, rdx, rcx, rdx))).toEqual(['xor rdx,rcx', 'ret']);
    expect(emit((m) => m.intBinary(IntBinaryKind.Mul, 32, rax, rcx, Imm.i32(10)))).toEqual(['imul eax,ecx,0xa', 'ret']);
    expect(emit((m) => m.intBinary(IntBinaryKind.And, 64, rax, rcx, Imm.i64(0, 1)))).toEqual([
      'movabs r11,0x100000000',
      'mov rax,rcx',
      'and rax,r11',
      'ret',
    ]);
    expect(emit((m) => m.intBinary(IntBinaryKind.Sub, 64, rax, rax, Imm.i32(-1)))).toEqual(['sub rax,0xffffffffffffffff', 'ret']);
  });

  it('unary operations: lzcnt/tzcnt/popcnt and sign extensions', () => {
    expect(
      emit((m) => {
        m.intUnary(0, 32, rax, rcx);
        m.intUnary(1, 64, rax, rcx);
        m.intUnary(2, 64, rax, rcx);
        m.intUnary(3, 32, rax, rsi);
        m.intUnary(4, 64, rax, rcx);
        m.intUnary(5, 64, rax, rcx);
      }),
    ).toEqual(['lzcnt eax,ecx', 'tzcnt rax,rcx', 'popcnt rax,rcx', 'movsx eax,sil', 'movsx rax,cx', 'movsxd rax,ecx', 'ret']);
  });

  it('clz, ctz and popcnt without LZCNT, BMI1 and POPCNT: bsr/bsf with cmov for zero, the SWAR count', () => {
    const plain = CpuFeatureSet.NONE;
    expect(emit((m) => m.intUnary(0, 32, rax, rcx), plain)).toEqual(['mov r11d,0x3f', 'bsr eax,ecx', 'cmove eax,r11d', 'xor eax,0x1f', 'ret']);
    expect(emit((m) => m.intUnary(0, 64, rax, rax), plain)).toEqual(['mov r11d,0x7f', 'bsr rax,rax', 'cmove rax,r11', 'xor rax,0x3f', 'ret']);
    expect(emit((m) => m.intUnary(1, 32, rdx, rsi), plain)).toEqual(['mov r11d,0x20', 'bsf edx,esi', 'cmove edx,r11d', 'ret']);
    expect(emit((m) => m.intUnary(1, 64, rax, rcx), plain)).toEqual(['mov r11d,0x40', 'bsf rax,rcx', 'cmove rax,r11', 'ret']);
    expect(emit((m) => m.intUnary(2, 32, rax, rcx), plain)).toEqual([
      'mov eax,ecx',
      'mov r11d,eax',
      'shr r11d,1',
      'and r11d,0x55555555',
      'sub eax,r11d',
      'mov r11d,eax',
      'shr r11d,0x2',
      'and r11d,0x33333333',
      'and eax,0x33333333',
      'add eax,r11d',
      'mov r11d,eax',
      'shr r11d,0x4',
      'add eax,r11d',
      'and eax,0xf0f0f0f',
      'imul eax,eax,0x1010101',
      'shr eax,0x18',
      'ret',
    ]);
    expect(emit((m) => m.intUnary(2, 64, rax, rax), plain)).toEqual([
      'mov r11,rax',
      'shr r11,1',
      `and r11,qword ptr [pool ${'55'.repeat(8)}]`,
      'sub rax,r11',
      'mov r11,rax',
      'shr r11,0x2',
      `and r11,qword ptr [pool ${'33'.repeat(8)}]`,
      `and rax,qword ptr [pool ${'33'.repeat(8)}]`,
      'add rax,r11',
      'mov r11,rax',
      'shr r11,0x4',
      'add rax,r11',
      `and rax,qword ptr [pool ${'0f'.repeat(8)}]`,
      `imul rax,qword ptr [pool ${'01'.repeat(8)}]`,
      'shr rax,0x38',
      'ret',
    ]);
    // Each instruction needs only its own feature.
    const lzcntOnly = CpuFeatureSet.of(['lzcnt']);
    expect(emit((m) => m.intUnary(0, 32, rax, rcx), lzcntOnly)).toEqual(['lzcnt eax,ecx', 'ret']);
    expect(emit((m) => m.intUnary(1, 32, rax, rcx), lzcntOnly)).toEqual(['mov r11d,0x20', 'bsf eax,ecx', 'cmove eax,r11d', 'ret']);
  });

  it('rounding without SSE4.1: magnitude + 2^52 - 2^52, adjusted and signed like x; x itself from 2^52 on', () => {
    const plain = CpuFeatureSet.NONE;
    const two52 = f64Bytes(2 ** 52);
    const one = f64Bytes(1);
    const abs64 = `${'ff'.repeat(7)}7f`.repeat(2);
    const sign64 = `${'00'.repeat(7)}80`.repeat(2);
    const head = ['movq r11,xmm1', 'movaps xmm0,xmm1', `andps xmm0,xmmword ptr [pool ${abs64}]`, `ucomisd xmm0,qword ptr [pool ${two52}]`];
    const signOfX = ['movq xmm15,r11', `andps xmm15,xmmword ptr [pool ${sign64}]`, 'orps xmm0,xmm15'];
    expect(emit((m) => m.floatUnary(FloatUnaryKind.Floor, 64, xmm0, xmm1), plain)).toEqual([
      ...head,
      'jp @16',
      'jae @16',
      `addsd xmm0,qword ptr [pool ${two52}]`,
      `subsd xmm0,qword ptr [pool ${two52}]`,
      ...signOfX,
      'movq xmm15,r11',
      'ucomisd xmm0,xmm15',
      'jbe @19',
      `subsd xmm0,qword ptr [pool ${one}]`,
      'jmp @19',
      'movq xmm0,r11',
      'xorps xmm15,xmm15',
      'addsd xmm0,xmm15',
      'ret',
    ]);
    expect(emit((m) => m.floatUnary(FloatUnaryKind.Ceil, 64, xmm0, xmm1), plain)).toEqual([
      ...head,
      'jp @19',
      'jae @19',
      `addsd xmm0,qword ptr [pool ${two52}]`,
      `subsd xmm0,qword ptr [pool ${two52}]`,
      ...signOfX,
      'movq xmm15,r11',
      'ucomisd xmm15,xmm0',
      'jbe @22',
      `addsd xmm0,qword ptr [pool ${one}]`,
      ...signOfX,
      'jmp @22',
      'movq xmm0,r11',
      'xorps xmm15,xmm15',
      'addsd xmm0,xmm15',
      'ret',
    ]);
    expect(emit((m) => m.floatUnary(FloatUnaryKind.Trunc, 64, xmm0, xmm1), plain)).toEqual([
      ...head,
      'jp @16',
      'jae @16',
      'movaps xmm15,xmm0',
      `addsd xmm0,qword ptr [pool ${two52}]`,
      `subsd xmm0,qword ptr [pool ${two52}]`,
      'ucomisd xmm0,xmm15',
      'jbe @12',
      `subsd xmm0,qword ptr [pool ${one}]`,
      ...signOfX,
      'jmp @19',
      'movq xmm0,r11',
      'xorps xmm15,xmm15',
      'addsd xmm0,xmm15',
      'ret',
    ]);
    const two23 = f32Bytes(2 ** 23);
    expect(emit((m) => m.floatUnary(FloatUnaryKind.Nearest, 32, xmm0, xmm0), plain)).toEqual([
      'movd r11d,xmm0',
      `andps xmm0,xmmword ptr [pool ${'ffffff7f'.repeat(4)}]`,
      `ucomiss xmm0,dword ptr [pool ${two23}]`,
      'jp @11',
      'jae @11',
      `addss xmm0,dword ptr [pool ${two23}]`,
      `subss xmm0,dword ptr [pool ${two23}]`,
      'movd xmm15,r11d',
      `andps xmm15,xmmword ptr [pool ${'00000080'.repeat(4)}]`,
      'orps xmm0,xmm15',
      'jmp @14',
      'movd xmm0,r11d',
      'xorps xmm15,xmm15',
      'addss xmm0,xmm15',
      'ret',
    ]);
  });

  it('comparisons and select', () => {
    expect(emit((m) => m.intCompare(IntCond.LtU, 64, rax, rcx, Imm.i32(5)))).toEqual(['cmp rcx,0x5', 'setb al', 'movzx eax,al', 'ret']);
    expect(emit((m) => m.select(32, rax, rdx, rsi, rdi))).toEqual(['test edx,edx', 'mov eax,edi', 'cmovne eax,esi', 'ret']);
    expect(emit((m) => m.select(64, rsi, rdx, rsi, rdi))).toEqual(['test edx,edx', 'cmove rsi,rdi', 'ret']);
    expect(emit((m) => m.select(64, xmm0, rdx, xmm1, xmm2))).toEqual(['movaps xmm0,xmm2', 'test edx,edx', 'je @4', 'movaps xmm0,xmm1', 'ret']);
  });

  it('shifts pin the count in cl through the value stack', () => {
    const m = new X64MacroAssembler();
    const stack = new RegisterValueStack(m, X64_REGISTERS);
    stack.pushReg(rdi, 32);
    stack.pushReg(rsi, 32);
    m.shift(stack, ShiftKind.ShrS, 32);
    m.shiftImm(ShiftKind.Rotl, 64, rax, rcx, 65); // masked to 1
    m.asm.ret();
    expect(listing(m)).toEqual(['mov ecx,esi', 'sar edi,cl', 'mov rax,rcx', 'rol rax,1', 'ret']);
    expect(stack.depth).toBe(1);
  });

  it('signed division pins rdx:rax and traps on zero and on MIN / -1', () => {
    const m = new X64MacroAssembler();
    const stack = new RegisterValueStack(m, X64_REGISTERS);
    stack.pushReg(rdi, 32);
    stack.pushReg(rsi, 32);
    m.setWasmOffset(77);
    m.div(stack, DivKind.SignedDiv, 32);
    m.asm.ret();
    expect(listing(m)).toEqual([
      'mov eax,edi',
      'test esi,esi',
      'je @10',
      'cmp esi,0xffffffff',
      'jne @7',
      'cmp eax,0x80000000',
      'je @12',
      'cdq',
      'idiv esi',
      'ret',
      ...trapStub(TrapReason.IntegerDivideByZero),
      ...trapStub(TrapReason.IntegerOverflow),
    ]);
  });

  it('records one trap site per trap, at the return address of the trap-exit call', () => {
    const m = new X64MacroAssembler();
    const stack = new RegisterValueStack(m, X64_REGISTERS);
    stack.pushReg(rdi, 64);
    stack.pushReg(rsi, 64);
    m.setWasmOffset(77);
    m.div(stack, DivKind.SignedRem, 64);
    m.setWasmOffset(90);
    m.trap(TrapReason.Unreachable);
    const { code, trapSites } = m.finish();
    expect(trapSites.map((t) => [t.reason, t.wasmOffset])).toEqual([
      [TrapReason.Unreachable, 90],
      [TrapReason.IntegerDivideByZero, 77],
    ]);
    const calls = disassemble(code).filter((i) => i.text === TRAP_CALL);
    expect(trapSites.map((t) => t.codeOffset)).toEqual(calls.map((c) => c.offset + c.length));
  });

  it('remainder answers x % -1 with 0 without dividing', () => {
    const m = new X64MacroAssembler();
    const stack = new RegisterValueStack(m, X64_REGISTERS);
    stack.pushReg(rdi, 64);
    stack.pushReg(rsi, 64);
    m.div(stack, DivKind.SignedRem, 64);
    m.asm.ret();
    expect(listing(m)).toEqual([
      'mov rax,rdi',
      'test rsi,rsi',
      'je @10',
      'cmp rsi,0xffffffffffffffff',
      'jne @7',
      'xor edx,edx',
      'jmp @9',
      'cqo',
      'idiv rsi',
      'ret',
      ...trapStub(TrapReason.IntegerDivideByZero),
    ]);
  });

  it('float min handles NaN and signed zeros before minsd', () => {
    expect(emit((m) => m.floatBinary(FloatBinaryKind.Min, 64, xmm0, xmm1, xmm2))).toEqual([
      'movaps xmm0,xmm1',
      'ucomisd xmm0,xmm2',
      'jp @6',
      'jne @8',
      'orps xmm0,xmm2',
      'jmp @9',
      'addsd xmm0,xmm2',
      'jmp @9',
      'minsd xmm0,xmm2',
      'ret',
    ]);
    expect(emit((m) => m.floatBinary(FloatBinaryKind.Max, 32, xmm0, xmm1, xmm0))).toEqual([
      'ucomiss xmm0,xmm1',
      'jp @5',
      'jne @7',
      'andps xmm0,xmm1',
      'jmp @8',
      'addss xmm0,xmm1',
      'jmp @8',
      'maxss xmm0,xmm1',
      'ret',
    ]);
  });

  it('float sign operations use 16-byte-aligned masks from the constant pool', () => {
    const sign32 = '00000080'.repeat(4);
    const abs64 = 'ffffffffffffff7f'.repeat(2);
    expect(emit((m) => m.floatUnary(FloatUnaryKind.Neg, 32, xmm0, xmm1))).toEqual([
      'movaps xmm0,xmm1',
      `xorps xmm0,xmmword ptr [pool ${sign32}]`,
      'ret',
    ]);
    expect(emit((m) => m.floatUnary(FloatUnaryKind.Abs, 64, xmm0, xmm0))).toEqual([`andps xmm0,xmmword ptr [pool ${abs64}]`, 'ret']);
    expect(emit((m) => m.floatBinary(FloatBinaryKind.Copysign, 64, xmm0, xmm1, xmm2))).toEqual([
      'movaps xmm15,xmm2',
      `andps xmm15,xmmword ptr [pool ${'0000000000000080'.repeat(2)}]`,
      'movaps xmm0,xmm1',
      `andps xmm0,xmmword ptr [pool ${abs64}]`,
      'orps xmm0,xmm15',
      'ret',
    ]);
    expect(emit((m) => m.floatUnary(FloatUnaryKind.Nearest, 64, xmm0, xmm1))).toEqual(['roundsd xmm0,xmm1,0x8', 'ret']);
    expect(emit((m) => m.floatUnary(FloatUnaryKind.Floor, 32, xmm0, xmm1))).toEqual(['roundss xmm0,xmm1,0x9', 'ret']);
  });

  it('float comparisons consult the parity flag for equality and swap operands for lt/le', () => {
    expect(emit((m) => m.floatCompare(FloatCond.Eq, 64, rax, xmm0, xmm1))).toEqual([
      'ucomisd xmm0,xmm1',
      'sete al',
      'setnp r11b',
      'and al,r11b',
      'movzx eax,al',
      'ret',
    ]);
    expect(emit((m) => m.floatCompare(FloatCond.Lt, 32, rax, xmm0, xmm1))).toEqual(['ucomiss xmm1,xmm0', 'seta al', 'movzx eax,al', 'ret']);
  });

  it('float constants: zero by xorps, others from the pool', () => {
    expect(emit((m) => m.loadFloatConstant(xmm1, 64, 0, 0))).toEqual(['xorps xmm1,xmm1', 'ret']);
    expect(emit((m) => m.loadFloatConstant(xmm1, 32, 0x3fc0_0000, 0))).toEqual([`movss xmm1,dword ptr [pool ${f32Bytes(1.5)}]`, 'ret']);
  });

  it('trapping truncation checks NaN and both bounds before converting', () => {
    expect(emit((m) => m.convert(ConvertKind.I32TruncF64S, rax, xmm0))).toEqual([
      'ucomisd xmm0,xmm0',
      'jp @8',
      `ucomisd xmm0,qword ptr [pool ${f64Bytes(-2147483649)}]`,
      'jbe @10',
      `ucomisd xmm0,qword ptr [pool ${f64Bytes(2147483648)}]`,
      'jae @12',
      'cvttsd2si eax,xmm0',
      'ret',
      ...trapStub(TrapReason.InvalidConversionToInteger),
      ...trapStub(TrapReason.IntegerOverflow),
      ...trapStub(TrapReason.IntegerOverflow),
    ]);
  });

  it('saturating truncation fixes up only the "integer indefinite" result', () => {
    expect(emit((m) => m.convert(ConvertKind.I32TruncSatF32S, rax, xmm0))).toEqual([
      'cvttss2si eax,xmm0',
      'cmp eax,0x1',
      'jno @11',
      'ucomiss xmm0,xmm0',
      'jp @10',
      'xorps xmm15,xmm15',
      'ucomiss xmm0,xmm15',
      'jbe @11',
      'mov eax,0x7fffffff',
      'jmp @11',
      'xor eax,eax',
      'ret',
    ]);
  });

  it('u64 to f64 halves with a sticky bit above 2^63', () => {
    expect(emit((m) => m.convert(ConvertKind.F64ConvertI64U, xmm0, rdi))).toEqual([
      'xorps xmm0,xmm0',
      'test rdi,rdi',
      'js @5',
      'cvtsi2sd xmm0,rdi',
      'jmp @11',
      'mov r11,rdi',
      'shr r11,1',
      'jae @9',
      'or r11,0x1',
      'cvtsi2sd xmm0,r11',
      'addsd xmm0,xmm0',
      'ret',
    ]);
  });

  it('memory: bounds check against the VM context length, heap address, loads and stores', () => {
    expect(
      emit((m) => {
        m.boundsCheck(0, rdi, 32, 4, 4);
        m.heapAddress(rcx, 0, rdi, 32);
        m.load(LoadKind.I64Load16S, rax, rcx, 4);
        m.store(StoreKind.Store8, rsi, rcx, 0x10000);
      }),
    ).toEqual([
      // i32 index, memory 0: index + end cannot wrap 64 bits, so one compare decides.
      'lea r11,[rdi+0x8]',
      'cmp r11,qword ptr [r15+0x8]',
      'ja @8',
      'mov ecx,edi',
      'add rcx,qword ptr [r15]',
      'movsx rax,word ptr [rcx+0x4]',
      'mov byte ptr [rcx+0x10000],sil',
      'ret',
      ...trapStub(TrapReason.OutOfBoundsMemoryAccess),
    ]);
    // Offsets beyond a disp32 compare against a 64-bit pool constant.
    expect(emit((m) => m.boundsCheck(0, rdi, 64, 0xffff_fff0, 0x20))).toEqual([
      'mov r11,qword ptr [r15+0x8]',
      'sub r11,rdi',
      'jb @6',
      'cmp r11,qword ptr [pool 1000000001000000]',
      'jb @6',
      'ret',
      ...trapStub(TrapReason.OutOfBoundsMemoryAccess),
    ]);
  });

  it('br_table dispatches through 8-byte jmp entries', () => {
    const m = new X64MacroAssembler();
    const a = m.newLabel();
    const b = m.newLabel();
    const fallback = m.newLabel();
    m.jumpTable(rdi, [a, b], fallback);
    m.bind(a);
    m.asm.nop();
    m.bind(b);
    m.asm.int3();
    m.bind(fallback);
    m.asm.ret();
    expect(listing(m)).toEqual([
      'cmp edi,0x2',
      'jae @11',
      'lea r11,[rip @5]',
      'lea r11,[r11+rdi*8]',
      'jmp r11',
      'jmp @9',
      'nop dword ptr [rax]',
      'jmp @10',
      'nop dword ptr [rax]',
      'nop',
      'int3',
      'ret',
    ]);
  });

  it('calls: direct through the jump table, imports and call_indirect switch the VM context', () => {
    expect(emit((m) => m.callDirect(3))).toEqual(['mov r11,qword ptr [r15+0x38]', 'call qword ptr [r11+0x18]', 'ret']);
    expect(emit((m) => m.callImport(2))).toEqual([
      'mov r11,qword ptr [r15+0x30]',
      'mov r15,qword ptr [r11+0x28]',
      'call qword ptr [r11+0x20]',
      'mov r15,qword ptr [rbp-0x8]',
      'ret',
    ]);
    expect(emit((m) => m.callIndirect(1, 5, r8))).toEqual([
      'mov r11,qword ptr [r15+0x28]',
      'cmp r8,qword ptr [r11+0x18]',
      'jae @17',
      'mov r11,qword ptr [r11+0x10]',
      'mov r11,qword ptr [r11+r8*8]',
      'test r11,r11',
      'je @19',
      'push rax',
      'mov rax,qword ptr [r15+0x60]',
      'mov eax,dword ptr [rax+0x14]',
      'cmp eax,dword ptr [r11+0x10]',
      'pop rax',
      'jne @21',
      'mov r15,qword ptr [r11+0x8]',
      'call qword ptr [r11]',
      'mov r15,qword ptr [rbp-0x8]',
      'ret',
      ...trapStub(TrapReason.UndefinedElement),
      ...trapStub(TrapReason.UninitializedElement),
      ...trapStub(TrapReason.IndirectCallTypeMismatch),
    ]);
  });
});
