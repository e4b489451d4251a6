// Round trip through binutils: thousands of instruction forms over every register, immediate
// edge and addressing form are assembled into one buffer, disassembled with objdump, and each
// instruction's text and length compared with the text expected from the form. The expected text
// comes from a small model of Intel syntax below (register names, `PTR` sizes, hex immediates at
// operand width), written independently of the encoder.

import { describe, expect, it } from 'vitest';
import { Assembler, Cond, Mem, NO_REG, RoundMode, type OperandSize, type Scale } from '../src/assembler/index.ts';
import { disassemble, hasObjdump } from './helpers/objdump.ts';

// --- the Intel-syntax model ----------------------------------------------------------------------

const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const R8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil'];
function reg(size: number, r: number): string {
  if (r >= 8) return `r${r}${size === 64 ? '' : size === 32 ? 'd' : size === 16 ? 'w' : 'b'}`;
  return (size === 64 ? R64 : size === 32 ? R32 : size === 16 ? R16 : R8)[r]!;
}
const xmm = (r: number): string => `xmm${r}`;
const PTR: Record<number, string> = { 8: 'byte ptr ', 16: 'word ptr ', 32: 'dword ptr ', 64: 'qword ptr ', 128: 'xmmword ptr ' };

/** An immediate as objdump prints it: hex of the value at `bits` width. */
function imm(bits: number, value: number): string {
  return `0x${BigInt.asUintN(bits, BigInt(value)).toString(16)}`;
}
function signedHex(value: number): string {
  return value < 0 ? `-0x${(-value).toString(16)}` : `+0x${value.toString(16)}`;
}

interface MemSpec {
  base: number;
  index: number;
  scale: Scale;
  disp: number;
}
function memText(m: MemSpec): string {
  if (m.base === NO_REG && m.index === NO_REG) return `ds:0x${(m.disp >>> 0).toString(16)}`;
  let s = '[';
  if (m.base !== NO_REG) s += reg(64, m.base);
  if (m.index !== NO_REG) s += `${m.base !== NO_REG ? '+' : ''}${reg(64, m.index)}*${m.scale}`;
  // objdump omits a zero displacement only when none is encoded (mod=00 with a base that is not rbp/r13).
  const encodedZero = m.base === NO_REG || (m.base & 7) === 5;
  if (m.disp !== 0 || encodedZero) s += signedHex(m.disp);
  return `${s}]`;
}
const ptr = (size: number, m: MemSpec): string => PTR[size] + memText(m);
const toMem = (m: MemSpec): Mem =>
  m.base === NO_REG ? Mem.noBase(m.index, m.scale, m.disp) : Mem.indexed(m.base, m.index, m.scale, m.disp);

// --- operand sets --------------------------------------------------------------------------------

const ALL = Array.from({ length: 16 }, (_, i) => i);
const SOME = [0, 1, 3, 4, 5, 7, 8, 11, 12, 13, 15];
const SIZES: OperandSize[] = [8, 16, 32, 64];
const WIDE: OperandSize[] = [16, 32, 64];
const DISPS = [0, 1, -1, 127, -128, 128, -129, 0x7fff_ffff, -0x8000_0000];

const MEMS: MemSpec[] = [];
for (const base of ALL) for (const disp of DISPS) MEMS.push({ base, index: NO_REG, scale: 1, disp });
for (const index of [0, 1, 5, 8, 12, 13, 15]) {
  for (const base of [0, 4, 5, 12, 13]) {
    for (const scale of [1, 2, 4, 8] as Scale[]) MEMS.push({ base, index, scale, disp: scale === 8 ? -8 : 0 });
  }
  MEMS.push({ base: NO_REG, index, scale: 8, disp: 0x10 });
  MEMS.push({ base: NO_REG, index, scale: 2, disp: -0x10 });
}
MEMS.push({ base: NO_REG, index: NO_REG, scale: 1, disp: 0x1000 });
const FEW_MEMS = MEMS.filter((_, i) => i % 7 === 0);

function immsFor(size: OperandSize): number[] {
  const common = [0, 1, -1, 127, -128];
  if (size === 8) return [...common, 128, 255];
  if (size === 16) return [...common, 128, -129, 0x7fff, -0x8000, 0xffff];
  return [...common, 128, -129, 0x7fff_ffff, -0x8000_0000];
}

interface Form {
  emit: (a: Assembler) => void;
  /** Expected disassembly; a RegExp where objdump's text is not derived (padding NOPs). */
  text: string | RegExp;
}

const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'] as const;
const CONDS = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

function generateForms(): Form[] {
  const forms: Form[] = [];
  const add = (emit: (a: Assembler) => void, text: string | RegExp): void => void forms.push({ emit, text });

  // ALU families.
  for (const [op, name] of ALU.entries()) {
    for (const size of SIZES) {
      for (const d of ALL) for (const s of SOME) add((a) => a.aluRR(op as 0, size, d, s), `${name} ${reg(size, d)},${reg(size, s)}`);
      for (const d of ALL) for (const v of immsFor(size)) add((a) => a.aluRI(op as 0, size, d, v), `${name} ${reg(size, d)},${imm(size, v)}`);
      for (const m of FEW_MEMS) {
        add((a) => a.aluRM(op as 0, size, 9, toMem(m)), `${name} ${reg(size, 9)},${ptr(size, m)}`);
        add((a) => a.aluMR(op as 0, size, toMem(m), 6), `${name} ${ptr(size, m)},${reg(size, 6)}`);
        add((a) => a.aluMI(op as 0, size, toMem(m), -2), `${name} ${ptr(size, m)},${imm(size, -2)}`);
        add((a) => a.aluMI(op as 0, size, toMem(m), 100), `${name} ${ptr(size, m)},${imm(size, 100)}`);
      }
    }
  }
  // Every addressing form once, on a 64-bit load and store.
  for (const m of MEMS) {
    add((a) => a.movRM(64, 2, toMem(m)), `mov rdx,${ptr(64, m)}`);
    add((a) => a.movMR(32, toMem(m), 14), `mov ${ptr(32, m)},r14d`);
    add((a) => a.leaRM(64, 12, toMem(m)), `lea r12,${memText(m)}`);
  }
  for (const size of SIZES) {
    for (const d of ALL) {
      for (const s of SOME) {
        add((a) => a.testRR(size, d, s), `test ${reg(size, d)},${reg(size, s)}`);
        add((a) => a.movRR(size, d, s), `mov ${reg(size, d)},${reg(size, s)}`);
      }
      for (const v of immsFor(size)) {
        add((a) => a.testRI(size, d, v), `test ${reg(size, d)},${imm(size, v)}`);
        if (size !== 64) add((a) => a.movRI(size, d, v), `mov ${reg(size, d)},${imm(size, v)}`);
      }
      for (const [name, fn] of [
        ['not', 'notR'],
        ['neg', 'negR'],
        ['inc', 'incR'],
        ['dec', 'decR'],
        ['mul', 'mulR'],
        ['imul', 'imulR'],
        ['div', 'divR'],
        ['idiv', 'idivR'],
      ] as const) {
        add((a) => a[fn](size, d), `${name} ${reg(size, d)}`);
      }
      for (const [name, op] of [['rol', 0], ['ror', 1], ['rcl', 2], ['rcr', 3], ['shl', 4], ['shr', 5], ['sar', 7]] as const) {
        for (const count of [1, 5, size - 1]) {
          add((a) => a.shiftRI(op, size, d, count), `${name} ${reg(size, d)},${count === 1 ? '1' : imm(8, count)}`);
        }
        add((a) => a.shiftRCl(op, size, d), `${name} ${reg(size, d)},cl`);
      }
    }
    for (const m of FEW_MEMS) {
      add((a) => a.testMR(size, toMem(m), 3), `test ${ptr(size, m)},${reg(size, 3)}`);
      add((a) => a.testMI(size, toMem(m), 7), `test ${ptr(size, m)},${imm(size, 7)}`);
      add((a) => a.movRM(size, 7, toMem(m)), `mov ${reg(size, 7)},${ptr(size, m)}`);
      add((a) => a.movMR(size, toMem(m), 5), `mov ${ptr(size, m)},${reg(size, 5)}`);
      add((a) => a.movMI(size, toMem(m), -3), `mov ${ptr(size, m)},${imm(size, -3)}`);
      add((a) => a.notM(size, toMem(m)), `not ${ptr(size, m)}`);
      add((a) => a.negM(size, toMem(m)), `neg ${ptr(size, m)}`);
      add((a) => a.incM(size, toMem(m)), `inc ${ptr(size, m)}`);
      add((a) => a.decM(size, toMem(m)), `dec ${ptr(size, m)}`);
      add((a) => a.mulM(size, toMem(m)), `mul ${ptr(size, m)}`);
      add((a) => a.imulM(size, toMem(m)), `imul ${ptr(size, m)}`);
      add((a) => a.divM(size, toMem(m)), `div ${ptr(size, m)}`);
      add((a) => a.idivM(size, toMem(m)), `idiv ${ptr(size, m)}`);
      add((a) => a.shiftMI(4, size, toMem(m), 3), `shl ${ptr(size, m)},0x3`);
      add((a) => a.shiftMI(7, size, toMem(m), 1), `sar ${ptr(size, m)},1`);
      add((a) => a.shiftMCl(1, size, toMem(m)), `ror ${ptr(size, m)},cl`);
    }
  }
  // 64-bit immediates: zero-extended imm32, sign-extended imm32, movabs.
  for (const d of ALL) {
    add((a) => a.movRI(64, d, 0), `mov ${reg(32, d)},0x0`);
    add((a) => a.movRI(64, d, 0xffff_ffff), `mov ${reg(32, d)},0xffffffff`);
    add((a) => a.movRI(64, d, -1), `mov ${reg(64, d)},0xffffffffffffffff`);
    add((a) => a.movRI(64, d, -0x8000_0000), `mov ${reg(64, d)},0xffffffff80000000`);
    add((a) => a.movRI(64, d, 0x1_0000_0000), `movabs ${reg(64, d)},0x100000000`);
    add((a) => a.movRI(64, d, 0x7fff_ffff_ffff_ffffn), `movabs ${reg(64, d)},0x7fffffffffffffff`);
    add((a) => a.movRI(64, d, -0x8000_0001), `movabs ${reg(64, d)},0xffffffff7fffffff`);
    add((a) => a.movabsRI(d, 5, 0), `movabs ${reg(64, d)},0x5`);
    for (const v of immsFor(64)) add((a) => a.movMI(64, Mem.base(d === 4 ? 0 : d, 8), v), `mov ${ptr(64, { base: d === 4 ? 0 : d, index: NO_REG, scale: 1, disp: 8 })},${imm(64, v)}`);
  }
  // imul 2- and 3-operand.
  for (const size of WIDE) {
    for (const d of ALL) {
      for (const s of SOME) add((a) => a.imulRR(size, d, s), `imul ${reg(size, d)},${reg(size, s)}`);
      for (const v of immsFor(size)) add((a) => a.imulRRI(size, d, 13 - (d % 3), v), `imul ${reg(size, d)},${reg(size, 13 - (d % 3))},${imm(size, v)}`);
    }
    for (const m of FEW_MEMS) {
      add((a) => a.imulRM(size, 10, toMem(m)), `imul ${reg(size, 10)},${ptr(size, m)}`);
      add((a) => a.imulRMI(size, 1, toMem(m), 1000), `imul ${reg(size, 1)},${ptr(size, m)},${imm(size, 1000)}`);
      add((a) => a.imulRMI(size, 1, toMem(m), -5), `imul ${reg(size, 1)},${ptr(size, m)},${imm(size, -5)}`);
    }
    // Bit counting, cmov.
    for (const d of ALL) {
      for (const s of [0, 5, 8, 12, 15]) {
        add((a) => a.lzcntRR(size, d, s), `lzcnt ${reg(size, d)},${reg(size, s)}`);
        add((a) => a.tzcntRR(size, d, s), `tzcnt ${reg(size, d)},${reg(size, s)}`);
        add((a) => a.popcntRR(size, d, s), `popcnt ${reg(size, d)},${reg(size, s)}`);
        add((a) => a.bsfRR(size, d, s), `bsf ${reg(size, d)},${reg(size, s)}`);
        add((a) => a.bsrRR(size, d, s), `bsr ${reg(size, d)},${reg(size, s)}`);
      }
      for (const [c, name] of CONDS.entries()) add((a) => a.cmovccRR(c as Cond, size, d, 15 - d), `cmov${name} ${reg(size, d)},${reg(size, 15 - d)}`);
    }
    for (const m of FEW_MEMS) {
      add((a) => a.lzcntRM(size, 3, toMem(m)), `lzcnt ${reg(size, 3)},${ptr(size, m)}`);
      add((a) => a.tzcntRM(size, 3, toMem(m)), `tzcnt ${reg(size, 3)},${ptr(size, m)}`);
      add((a) => a.popcntRM(size, 3, toMem(m)), `popcnt ${reg(size, 3)},${ptr(size, m)}`);
      add((a) => a.bsfRM(size, 3, toMem(m)), `bsf ${reg(size, 3)},${ptr(size, m)}`);
      add((a) => a.bsrRM(size, 3, toMem(m)), `bsr ${reg(size, 3)},${ptr(size, m)}`);
      add((a) => a.cmovccRM(Cond.GE, size, 9, toMem(m)), `cmovge ${reg(size, 9)},${ptr(size, m)}`);
    }
  }
  // Extension, setcc, stack.
  for (const d of ALL) {
    for (const s of ALL) {
      for (const to of WIDE) add((a) => a.movzxRR(8, to, d, s), `movzx ${reg(to, d)},${reg(8, s)}`);
      for (const to of [32, 64] as const) add((a) => a.movzxRR(16, to, d, s), `movzx ${reg(to, d)},${reg(16, s)}`);
      for (const to of WIDE) add((a) => a.movsxRR(8, to, d, s), `movsx ${reg(to, d)},${reg(8, s)}`);
      for (const to of [32, 64] as const) add((a) => a.movsxRR(16, to, d, s), `movsx ${reg(to, d)},${reg(16, s)}`);
      add((a) => a.movsxdRR(d, s), `movsxd ${reg(64, d)},${reg(32, s)}`);
    }
    for (const [c, name] of CONDS.entries()) add((a) => a.setccR(c as Cond, d), `set${name} ${reg(8, d)}`);
    add((a) => a.pushR(d), `push ${reg(64, d)}`);
    add((a) => a.popR(d), `pop ${reg(64, d)}`);
    add((a) => a.callR(d), `call ${reg(64, d)}`);
    add((a) => a.jmpR(d), `jmp ${reg(64, d)}`);
  }
  for (const m of FEW_MEMS) {
    add((a) => a.movzxRM(8, 32, 4, toMem(m)), `movzx esp,${ptr(8, m)}`);
    add((a) => a.movzxRM(16, 64, 8, toMem(m)), `movzx r8,${ptr(16, m)}`);
    add((a) => a.movsxRM(8, 64, 2, toMem(m)), `movsx rdx,${ptr(8, m)}`);
    add((a) => a.movsxRM(16, 32, 13, toMem(m)), `movsx r13d,${ptr(16, m)}`);
    add((a) => a.movsxdRM(6, toMem(m)), `movsxd rsi,${ptr(32, m)}`);
    add((a) => a.setccM(Cond.A, toMem(m)), `seta ${ptr(8, m)}`);
    add((a) => a.pushM(toMem(m)), `push ${ptr(64, m)}`);
    add((a) => a.popM(toMem(m)), `pop ${ptr(64, m)}`);
    add((a) => a.callM(toMem(m)), `call ${ptr(64, m)}`);
    add((a) => a.jmpM(toMem(m)), `jmp ${ptr(64, m)}`);
  }
  for (const v of immsFor(32)) add((a) => a.pushI(v), `push ${imm(64, v)}`);
  add((a) => a.cdq(), 'cdq');
  add((a) => a.cqo(), 'cqo');
  add((a) => a.cwd(), 'cwd');
  add((a) => a.ret(), 'ret');
  add((a) => a.ud2(), 'ud2');
  add((a) => a.int3(), 'int3');
  add((a) => a.nop(), 'nop');
  add((a) => a.mfence(), 'mfence');
  add((a) => a.cpuid(), 'cpuid');
  add((a) => a.xgetbv(), 'xgetbv');
  for (let n = 2; n <= 9; n++) add((a) => a.nops(n), /^(nop|xchg ax,ax)/);

  // SSE.
  const X = ALL;
  const sseRR: [string, keyof Assembler][] = [
    ['movss', 'movssRR'], ['movsd', 'movsdRR'], ['movaps', 'movapsRR'], ['movapd', 'movapdRR'],
    ['addss', 'addssRR'], ['addsd', 'addsdRR'], ['subss', 'subssRR'], ['subsd', 'subsdRR'],
    ['mulss', 'mulssRR'], ['mulsd', 'mulsdRR'], ['divss', 'divssRR'], ['divsd', 'divsdRR'],
    ['minss', 'minssRR'], ['minsd', 'minsdRR'], ['maxss', 'maxssRR'], ['maxsd', 'maxsdRR'],
    ['sqrtss', 'sqrtssRR'], ['sqrtsd', 'sqrtsdRR'], ['ucomiss', 'ucomissRR'], ['ucomisd', 'ucomisdRR'],
    ['comiss', 'comissRR'], ['comisd', 'comisdRR'], ['cvtss2sd', 'cvtss2sdRR'], ['cvtsd2ss', 'cvtsd2ssRR'],
    ['andps', 'andpsRR'], ['andpd', 'andpdRR'], ['andnps', 'andnpsRR'], ['andnpd', 'andnpdRR'],
    ['orps', 'orpsRR'], ['orpd', 'orpdRR'], ['xorps', 'xorpsRR'], ['xorpd', 'xorpdRR'], ['pxor', 'pxorRR'],
  ];
  const sseRM: [string, keyof Assembler, number][] = [
    ['movss', 'movssRM', 32], ['movsd', 'movsdRM', 64], ['movaps', 'movapsRM', 128],
    ['addss', 'addssRM', 32], ['addsd', 'addsdRM', 64], ['subss', 'subssRM', 32], ['subsd', 'subsdRM', 64],
    ['mulss', 'mulssRM', 32], ['mulsd', 'mulsdRM', 64], ['divss', 'divssRM', 32], ['divsd', 'divsdRM', 64],
    ['minss', 'minssRM', 32], ['minsd', 'minsdRM', 64], ['maxss', 'maxssRM', 32], ['maxsd', 'maxsdRM', 64],
    ['sqrtss', 'sqrtssRM', 32], ['sqrtsd', 'sqrtsdRM', 64], ['ucomiss', 'ucomissRM', 32], ['ucomisd', 'ucomisdRM', 64],
    ['cvtss2sd', 'cvtss2sdRM', 32], ['cvtsd2ss', 'cvtsd2ssRM', 64],
    ['andps', 'andpsRM', 128], ['andpd', 'andpdRM', 128], ['andnps', 'andnpsRM', 128], ['andnpd', 'andnpdRM', 128],
    ['orps', 'orpsRM', 128], ['orpd', 'orpdRM', 128], ['xorps', 'xorpsRM', 128], ['xorpd', 'xorpdRM', 128], ['pxor', 'pxorRM', 128],
  ];
  for (const [name, fn] of sseRR) {
    for (const d of X) for (const s of [0, 7, 8, 15]) add((a) => (a[fn] as (d: number, s: number) => void)(d, s), `${name} ${xmm(d)},${xmm(s)}`);
  }
  for (const [name, fn, bits] of sseRM) {
    for (const m of FEW_MEMS) add((a) => (a[fn] as (d: number, m: Mem) => void)(11, toMem(m)), `${name} ${xmm(11)},${ptr(bits, m)}`);
  }
  for (const m of FEW_MEMS) {
    add((a) => a.movssMR(toMem(m), 3), `movss ${ptr(32, m)},xmm3`);
    add((a) => a.movsdMR(toMem(m), 12), `movsd ${ptr(64, m)},xmm12`);
    for (const size of [32, 64] as const) {
      add((a) => a.cvtsi2ssRM(size, 2, toMem(m)), `cvtsi2ss xmm2,${ptr(size, m)}`);
      add((a) => a.cvtsi2sdRM(size, 9, toMem(m)), `cvtsi2sd xmm9,${ptr(size, m)}`);
      add((a) => a.cvttss2siRM(size, 9, toMem(m)), `cvttss2si ${reg(size, 9)},${ptr(32, m)}`);
      add((a) => a.cvttsd2siRM(size, 2, toMem(m)), `cvttsd2si ${reg(size, 2)},${ptr(64, m)}`);
    }
  }
  for (const x of X) {
    for (const g of ALL) {
      add((a) => a.movdXR(32, x, g), `movd ${xmm(x)},${reg(32, g)}`);
      add((a) => a.movdXR(64, x, g), `movq ${xmm(x)},${reg(64, g)}`);
      add((a) => a.movdRX(32, g, x), `movd ${reg(32, g)},${xmm(x)}`);
      add((a) => a.movdRX(64, g, x), `movq ${reg(64, g)},${xmm(x)}`);
      for (const size of [32, 64] as const) {
        add((a) => a.cvtsi2ssRR(size, x, g), `cvtsi2ss ${xmm(x)},${reg(size, g)}`);
        add((a) => a.cvtsi2sdRR(size, x, g), `cvtsi2sd ${xmm(x)},${reg(size, g)}`);
        add((a) => a.cvttss2siRR(size, g, x), `cvttss2si ${reg(size, g)},${xmm(x)}`);
        add((a) => a.cvttsd2siRR(size, g, x), `cvttsd2si ${reg(size, g)},${xmm(x)}`);
      }
    }
    for (const mode of Object.values(RoundMode)) {
      add((a) => a.roundssRRI(x, 15 - x, mode), `roundss ${xmm(x)},${xmm(15 - x)},${imm(8, mode)}`);
      add((a) => a.roundsdRRI(x, 15 - x, mode), `roundsd ${xmm(x)},${xmm(15 - x)},${imm(8, mode)}`);
    }
  }
  return forms;
}

describe.skipIf(!hasObjdump)('x64 assembler: round trip through objdump', () => {
  // Skipped only when /usr/bin/objdump (binutils) is absent; CI installs binutils.
  it('disassembles every generated form to the expected text and length', () => {
    const forms = generateForms();
    const a = new Assembler();
    const starts: number[] = [];
    for (const form of forms) {
      starts.push(a.offset);
      form.emit(a);
    }
    // Branches and RIP-relative forms, whose text depends on where their label ends up.
    const back = a.newLabel();
    a.bind(back);
    const backAt = a.offset;
    const forward = a.newLabel();
    let forwardAt = -1;
    interface LabelForm {
      start: number;
      /** Expected text (for RIP forms, its prefix up to the displacement). */
      text: (target: number) => string;
      target: () => number;
      rip: boolean;
    }
    const labelForms: LabelForm[] = [];
    const emitAt = (emit: (a: Assembler) => void, text: (t: number) => string, target: () => number, rip = false): void => {
      labelForms.push({ start: a.offset, text, target, rip });
      emit(a);
    };
    const toBack = (): number => backAt;
    const toForward = (): number => forwardAt;
    const hex = (t: number): string => `0x${t.toString(16)}`;
    for (const [c, name] of CONDS.entries()) {
      emitAt((x) => x.jcc(c as Cond, back), (t) => `j${name} ${hex(t)}`, toBack);
      emitAt((x) => x.jcc(c as Cond, forward), (t) => `j${name} ${hex(t)}`, toForward);
    }
    emitAt((x) => x.jmp(back), (t) => `jmp ${hex(t)}`, toBack);
    emitAt((x) => x.jmp(forward), (t) => `jmp ${hex(t)}`, toForward);
    emitAt((x) => x.callLabel(back), (t) => `call ${hex(t)}`, toBack);
    emitAt((x) => x.callLabel(forward), (t) => `call ${hex(t)}`, toForward);
    emitAt((x) => x.movRM(64, 9, Mem.label(back)), () => 'mov r9,qword ptr [rip', toBack, true);
    emitAt((x) => x.cmpMI(32, Mem.label(forward), 0x1234), () => 'cmp dword ptr [rip', toForward, true);
    emitAt((x) => x.movMI(16, Mem.label(forward), 7), () => 'mov word ptr [rip', toForward, true);
    emitAt((x) => x.movMI(8, Mem.label(back), 7), () => 'mov byte ptr [rip', toBack, true);
    emitAt((x) => x.addsdRM(3, Mem.label(forward)), () => 'addsd xmm3,qword ptr [rip', toForward, true);
    emitAt((x) => x.roundsdRRI(3, 4, RoundMode.Ceil), () => 'roundsd xmm3,xmm4,0xa', toForward);
    a.nops(300); // puts the forward label out of rel8 reach of the branches above
    forwardAt = a.offset;
    a.bind(forward);
    const far = a.newLabel();
    a.bind(far);
    emitAt((x) => x.jcc(Cond.E, far), (t) => `je ${hex(t)}`, toForward);
    emitAt((x) => x.jmp(far), (t) => `jmp ${hex(t)}`, toForward);

    const code = a.finish().code;
    const insns = disassemble(code);
    const byOffset = new Map(insns.map((i) => [i.offset, i]));
    const mismatches: string[] = [];
    forms.forEach((form, i) => {
      const start = starts[i]!;
      const end = i + 1 < starts.length ? starts[i + 1]! : backAt;
      const got = byOffset.get(start);
      const ok =
        got !== undefined &&
        (typeof form.text === 'string' ? got.text === form.text : form.text.test(got.text)) &&
        (typeof form.text !== 'string' || start + got.length === end);
      if (!ok) mismatches.push(`@${start}: expected "${String(form.text)}" (${end - start} bytes), got "${got?.text}" (${got?.length} bytes)`);
    });
    for (const form of labelForms) {
      const got = byOffset.get(form.start);
      const target = form.target();
      const expected = form.text(target);
      const ok =
        got !== undefined &&
        (form.rip ? got.text.startsWith(expected) && got.ripTarget === target : got.text === expected);
      if (!ok) mismatches.push(`@${form.start}: expected "${expected}" -> ${target}, got "${got?.text}" -> ${got?.ripTarget}`);
    }
    expect(mismatches.slice(0, 30)).toEqual([]);
    console.log(`objdump round trip: ${forms.length + labelForms.length} instructions`);
    expect(forms.length).toBeGreaterThan(10_000);
  });
});
