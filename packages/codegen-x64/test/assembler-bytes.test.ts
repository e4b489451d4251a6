// Expected bytes per instruction form, each derived by hand from the Intel SDM encoding tables
// (Vol. 2, chapter 2 and the instruction pages): prefix, REX (0100WRXB), opcode, ModRM
// (mod|reg|rm), SIB (scale|index|base), displacement, immediate.

import { CodeBufferError, RelocKind, RelocTarget } from '@flint/backend';
import { describe, expect, it } from 'vitest';
import { Assembler, AssemblerError, AluOp, Cond, Gpr, Mem, RoundMode, ShiftOp, Xmm } from '../src/assembler/index.ts';

const { rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r15 } = Gpr;
const { xmm0, xmm1, xmm2, xmm3, xmm8, xmm9, xmm10, xmm15 } = Xmm;

function bytesOf(emit: (a: Assembler) => void): string {
  const a = new Assembler();
  emit(a);
  return Array.from(a.finish().code, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

type Case = readonly [name: string, emit: (a: Assembler) => void, hex: string];

const cases: Case[] = [
  // ALU register-register: opcode op*8+1 (op*8+0 for bytes), ModRM 11 src dst.
  ['add rax,rcx', (a) => a.addRR(64, rax, rcx), '48 01 c8'],
  ['add r8d,r9d (REX.R+REX.B)', (a) => a.addRR(32, r8, r9), '45 01 c8'],
  ['add sil,dil (REX for byte regs)', (a) => a.addRR(8, rsi, rdi), '40 00 fe'],
  ['add ax,cx (0x66)', (a) => a.addRR(16, rax, rcx), '66 01 c8'],
  ['xor eax,eax', (a) => a.xorRR(32, rax, rax), '31 c0'],
  ['sbb rdx,r11', (a) => a.sbbRR(64, rdx, r11), '4c 19 da'],
  ['adc ebx,esi', (a) => a.aluRR(AluOp.Adc, 32, rbx, rsi), '11 f3'],
  // ALU immediates: 0x83 /op ib when sign-extended imm8 fits, else 0x81 /op id.
  ['add eax,1', (a) => a.addRI(32, rax, 1), '83 c0 01'],
  ['add rax,127', (a) => a.addRI(64, rax, 127), '48 83 c0 7f'],
  ['add rax,128', (a) => a.addRI(64, rax, 128), '48 81 c0 80 00 00 00'],
  ['add rax,-128', (a) => a.addRI(64, rax, -128), '48 83 c0 80'],
  ['add eax,0xffffffff (imm8 -1)', (a) => a.addRI(32, rax, 0xffff_ffff), '83 c0 ff'],
  ['sub cx,0x1234', (a) => a.subRI(16, rcx, 0x1234), '66 81 e9 34 12'],
  ['cmp spl,5', (a) => a.cmpRI(8, rsp, 5), '40 80 fc 05'],
  ['and r12,-0x80000000', (a) => a.andRI(64, r12, -0x8000_0000), '49 81 e4 00 00 00 80'],
  ['or r9b,0xff', (a) => a.orRI(8, r9, 0xff), '41 80 c9 ff'],
  // ALU memory: SIB for rsp/r12 bases, disp8 0 for rbp/r13.
  ['and rdx,[rsp+8]', (a) => a.andRM(64, rdx, Mem.base(rsp, 8)), '48 23 54 24 08'],
  ['or [r12],eax', (a) => a.orMR(32, Mem.base(r12), rax), '41 09 04 24'],
  ['cmp dword [rbx+0x100],-1', (a) => a.cmpMI(32, Mem.base(rbx, 0x100), -1), '83 bb 00 01 00 00 ff'],
  ['add qword [rax],0x1000', (a) => a.addMI(64, Mem.base(rax), 0x1000), '48 81 00 00 10 00 00'],
  ['sub byte [rcx],1', (a) => a.subMI(8, Mem.base(rcx), 1), '80 29 01'],
  // Loads and stores with every addressing form.
  ['mov rax,[rbp] (disp8 0)', (a) => a.movRM(64, rax, Mem.base(rbp)), '48 8b 45 00'],
  ['mov rax,[r13] (disp8 0)', (a) => a.movRM(64, rax, Mem.base(r13)), '49 8b 45 00'],
  ['mov rax,[r12] (SIB)', (a) => a.movRM(64, rax, Mem.base(r12)), '49 8b 04 24'],
  ['mov ecx,[rbx+rsi*4+0x100]', (a) => a.movRM(32, rcx, Mem.indexed(rbx, rsi, 4, 0x100)), '8b 8c b3 00 01 00 00'],
  ['mov r9,[r12+r13*8-8]', (a) => a.movRM(64, r9, Mem.indexed(r12, r13, 8, -8)), '4f 8b 4c ec f8'],
  ['mov eax,[rbp+rax*1] (disp8 0)', (a) => a.movRM(32, rax, Mem.indexed(rbp, rax, 1)), '8b 44 05 00'],
  ['mov eax,[rcx*2+0x10] (no base)', (a) => a.movRM(32, rax, Mem.noBase(rcx, 2, 0x10)), '8b 04 4d 10 00 00 00'],
  ['mov rax,[0x1000] (absolute)', (a) => a.movRM(64, rax, Mem.absolute(0x1000)), '48 8b 04 25 00 10 00 00'],
  ['mov [rax],sil', (a) => a.movMR(8, Mem.base(rax), rsi), '40 88 30'],
  ['mov [rdi+2],r10w', (a) => a.movMR(16, Mem.base(rdi, 2), r10), '66 44 89 57 02'],
  ['mov [rsp+0x80],rdi (disp32)', (a) => a.movMR(64, Mem.base(rsp, 0x80), rdi), '48 89 bc 24 80 00 00 00'],
  ['mov [rax-0x80],ecx (disp8)', (a) => a.movMR(32, Mem.base(rax, -0x80), rcx), '89 48 80'],
  ['mov r8,r15', (a) => a.movRR(64, r8, r15), '4d 89 f8'],
  // Immediates into registers: the shortest form.
  ['mov eax,1', (a) => a.movRI(32, rax, 1), 'b8 01 00 00 00'],
  ['movabs r10,0x123456789', (a) => a.movRI(64, r10, 0x1_2345_6789n), '49 ba 89 67 45 23 01 00 00 00'],
  ['mov rax,-1 (c7 sign-extended)', (a) => a.movRI(64, rax, -1), '48 c7 c0 ff ff ff ff'],
  ['mov ecx,0xffffffff (zero-extends)', (a) => a.movRI(64, rcx, 0xffff_ffff), 'b9 ff ff ff ff'],
  ['mov r9d,0 (64-bit zero)', (a) => a.movRI(64, r9, 0), '41 b9 00 00 00 00'],
  ['movabs rax,0x8000000000000000', (a) => a.movRI(64, rax, -(1n << 63n)), '48 b8 00 00 00 00 00 00 00 80'],
  ['movabs rdx,-2^32 (safe number)', (a) => a.movRI(64, rdx, -0x1_0000_0000), '48 ba 00 00 00 00 ff ff ff ff'],
  ['mov dil,0x80', (a) => a.movRI(8, rdi, 0x80), '40 b7 80'],
  ['mov r8w,0x1234', (a) => a.movRI(16, r8, 0x1234), '66 41 b8 34 12'],
  ['mov qword [rax+8],-1', (a) => a.movMI(64, Mem.base(rax, 8), -1), '48 c7 40 08 ff ff ff ff'],
  ['mov byte [rbx],7', (a) => a.movMI(8, Mem.base(rbx), 7), 'c6 03 07'],
  ['mov word [rcx],0xbeef', (a) => a.movMI(16, Mem.base(rcx), 0xbeef), '66 c7 01 ef be'],
  ['lea rsp,[rsp+16]', (a) => a.leaRM(64, rsp, Mem.base(rsp, 16)), '48 8d 64 24 10'],
  ['lea eax,[rcx+rdx*1]', (a) => a.leaRM(32, rax, Mem.indexed(rcx, rdx, 1)), '8d 04 11'],
  // Extension.
  ['movzx eax,sil', (a) => a.movzxRR(8, 32, rax, rsi), '40 0f b6 c6'],
  ['movzx rax,cx', (a) => a.movzxRR(16, 64, rax, rcx), '48 0f b7 c1'],
  ['movsx r8,al', (a) => a.movsxRR(8, 64, r8, rax), '4c 0f be c0'],
  ['movsx eax,word [rdi]', (a) => a.movsxRM(16, 32, rax, Mem.base(rdi)), '0f bf 07'],
  ['movsxd rax,ecx', (a) => a.movsxdRR(rax, rcx), '48 63 c1'],
  // test and group 3/4/5.
  ['test eax,eax', (a) => a.testRR(32, rax, rax), '85 c0'],
  ['test al,1', (a) => a.testRI(8, rax, 1), 'f6 c0 01'],
  ['test rax,0x80 (no imm8 form)', (a) => a.testRI(64, rax, 0x80), '48 f7 c0 80 00 00 00'],
  ['not rax', (a) => a.notR(64, rax), '48 f7 d0'],
  ['neg r9d', (a) => a.negR(32, r9), '41 f7 d9'],
  ['inc rcx', (a) => a.incR(64, rcx), '48 ff c1'],
  ['dec bpl', (a) => a.decR(8, rbp), '40 fe cd'],
  ['mul rcx', (a) => a.mulR(64, rcx), '48 f7 e1'],
  ['imul ecx', (a) => a.imulR(32, rcx), 'f7 e9'],
  ['div r8', (a) => a.divR(64, r8), '49 f7 f0'],
  ['idiv esi', (a) => a.idivR(32, rsi), 'f7 fe'],
  ['idiv qword [rsp]', (a) => a.idivM(64, Mem.base(rsp)), '48 f7 3c 24'],
  ['imul rax,rcx', (a) => a.imulRR(64, rax, rcx), '48 0f af c1'],
  ['imul eax,ecx,10', (a) => a.imulRRI(32, rax, rcx, 10), '6b c1 0a'],
  ['imul rdx,r8,1000', (a) => a.imulRRI(64, rdx, r8, 1000), '49 69 d0 e8 03 00 00'],
  ['cdq', (a) => a.cdq(), '99'],
  ['cqo', (a) => a.cqo(), '48 99'],
  ['cwd', (a) => a.cwd(), '66 99'],
  // Shifts: d1 for a count of 1, c1 ib otherwise, d3 for cl.
  ['shl eax,1', (a) => a.shlRI(32, rax, 1), 'd1 e0'],
  ['shl rax,3', (a) => a.shlRI(64, rax, 3), '48 c1 e0 03'],
  ['sar edx,cl', (a) => a.sarRCl(32, rdx), 'd3 fa'],
  ['shr r11,cl', (a) => a.shrRCl(64, r11), '49 d3 eb'],
  ['rol ecx,8', (a) => a.rolRI(32, rcx, 8), 'c1 c1 08'],
  ['ror rax,cl', (a) => a.rorRCl(64, rax), '48 d3 c8'],
  ['rcl dl,1', (a) => a.shiftRI(ShiftOp.Rcl, 8, rdx, 1), 'd0 d2'],
  ['shl dword [rax],4', (a) => a.shiftMI(ShiftOp.Shl, 32, Mem.base(rax), 4), 'c1 20 04'],
  // Bit counting: mandatory F3 after the 0x66 operand-size prefix.
  ['lzcnt eax,ecx', (a) => a.lzcntRR(32, rax, rcx), 'f3 0f bd c1'],
  ['tzcnt r8,rax', (a) => a.tzcntRR(64, r8, rax), 'f3 4c 0f bc c0'],
  ['popcnt ax,cx', (a) => a.popcntRR(16, rax, rcx), '66 f3 0f b8 c1'],
  ['bsr rax,rcx', (a) => a.bsrRR(64, rax, rcx), '48 0f bd c1'],
  ['bsf eax,ecx', (a) => a.bsfRR(32, rax, rcx), '0f bc c1'],
  ['bsf ax,cx', (a) => a.bsfRR(16, rax, rcx), '66 0f bc c1'],
  // setcc / cmovcc.
  ['sete al', (a) => a.setccR(Cond.E, rax), '0f 94 c0'],
  ['setne sil', (a) => a.setccR(Cond.NE, rsi), '40 0f 95 c6'],
  ['setb r9b', (a) => a.setccR(Cond.B, r9), '41 0f 92 c1'],
  ['cmovl eax,ecx', (a) => a.cmovccRR(Cond.L, 32, rax, rcx), '0f 4c c1'],
  ['cmovne r8,r9', (a) => a.cmovccRR(Cond.NE, 64, r8, r9), '4d 0f 45 c1'],
  // Stack.
  ['push rbp', (a) => a.pushR(rbp), '55'],
  ['push r12', (a) => a.pushR(r12), '41 54'],
  ['pop r15', (a) => a.popR(r15), '41 5f'],
  ['push 8', (a) => a.pushI(8), '6a 08'],
  ['push 0x1000', (a) => a.pushI(0x1000), '68 00 10 00 00'],
  ['push qword [rax]', (a) => a.pushM(Mem.base(rax)), 'ff 30'],
  // Indirect control flow and miscellany.
  ['call rax', (a) => a.callR(rax), 'ff d0'],
  ['call r11', (a) => a.callR(r11), '41 ff d3'],
  ['jmp rcx', (a) => a.jmpR(rcx), 'ff e1'],
  ['call [r15+0x58]', (a) => a.callM(Mem.base(r15, 0x58)), '41 ff 57 58'],
  ['ret', (a) => a.ret(), 'c3'],
  ['ud2', (a) => a.ud2(), '0f 0b'],
  ['int3', (a) => a.int3(), 'cc'],
  ['nop', (a) => a.nop(), '90'],
  ['mfence', (a) => a.mfence(), '0f ae f0'],
  ['cpuid', (a) => a.cpuid(), '0f a2'],
  ['xgetbv', (a) => a.xgetbv(), '0f 01 d0'],
  // SSE: mandatory prefix, then REX, then 0x0f opcode.
  ['movss xmm0,[rax]', (a) => a.movssRM(xmm0, Mem.base(rax)), 'f3 0f 10 00'],
  ['movsd [rsp+8],xmm9', (a) => a.movsdMR(Mem.base(rsp, 8), xmm9), 'f2 44 0f 11 4c 24 08'],
  ['movss xmm1,xmm2', (a) => a.movssRR(xmm1, xmm2), 'f3 0f 10 ca'],
  ['movd xmm0,eax', (a) => a.movdXR(32, xmm0, rax), '66 0f 6e c0'],
  ['movq xmm1,r8', (a) => a.movdXR(64, xmm1, r8), '66 49 0f 6e c8'],
  ['movq rax,xmm8', (a) => a.movdRX(64, rax, xmm8), '66 4c 0f 7e c0'],
  ['addsd xmm0,xmm1', (a) => a.addsdRR(xmm0, xmm1), 'f2 0f 58 c1'],
  ['mulss xmm8,xmm15', (a) => a.mulssRR(xmm8, xmm15), 'f3 45 0f 59 c7'],
  ['sqrtsd xmm2,xmm3', (a) => a.sqrtsdRR(xmm2, xmm3), 'f2 0f 51 d3'],
  ['minss xmm0,xmm1', (a) => a.minssRR(xmm0, xmm1), 'f3 0f 5d c1'],
  ['maxsd xmm0,xmm1', (a) => a.maxsdRR(xmm0, xmm1), 'f2 0f 5f c1'],
  ['divss xmm0,xmm1', (a) => a.divssRR(xmm0, xmm1), 'f3 0f 5e c1'],
  ['subsd xmm0,[rax]', (a) => a.subsdRM(xmm0, Mem.base(rax)), 'f2 0f 5c 00'],
  ['roundsd xmm0,xmm1,floor', (a) => a.roundsdRRI(xmm0, xmm1, RoundMode.Floor), '66 0f 3a 0b c1 09'],
  ['roundss xmm9,xmm10,trunc', (a) => a.roundssRRI(xmm9, xmm10, RoundMode.Trunc), '66 45 0f 3a 0a ca 0b'],
  ['ucomisd xmm0,xmm1', (a) => a.ucomisdRR(xmm0, xmm1), '66 0f 2e c1'],
  ['ucomiss xmm0,xmm1', (a) => a.ucomissRR(xmm0, xmm1), '0f 2e c1'],
  ['comiss xmm0,xmm1', (a) => a.comissRR(xmm0, xmm1), '0f 2f c1'],
  ['cvtsi2sd xmm0,rax', (a) => a.cvtsi2sdRR(64, xmm0, rax), 'f2 48 0f 2a c0'],
  ['cvtsi2ss xmm1,r9d', (a) => a.cvtsi2ssRR(32, xmm1, r9), 'f3 41 0f 2a c9'],
  ['cvttsd2si rax,xmm0', (a) => a.cvttsd2siRR(64, rax, xmm0), 'f2 48 0f 2c c0'],
  ['cvttss2si r8d,xmm1', (a) => a.cvttss2siRR(32, r8, xmm1), 'f3 44 0f 2c c1'],
  ['cvtss2sd xmm0,xmm1', (a) => a.cvtss2sdRR(xmm0, xmm1), 'f3 0f 5a c1'],
  ['cvtsd2ss xmm0,xmm1', (a) => a.cvtsd2ssRR(xmm0, xmm1), 'f2 0f 5a c1'],
  ['andps xmm0,xmm1', (a) => a.andpsRR(xmm0, xmm1), '0f 54 c1'],
  ['andpd xmm0,xmm1', (a) => a.andpdRR(xmm0, xmm1), '66 0f 54 c1'],
  ['andnps xmm0,xmm1', (a) => a.andnpsRR(xmm0, xmm1), '0f 55 c1'],
  ['orps xmm0,xmm1', (a) => a.orpsRR(xmm0, xmm1), '0f 56 c1'],
  ['xorps xmm0,xmm1', (a) => a.xorpsRR(xmm0, xmm1), '0f 57 c1'],
  ['xorpd xmm0,xmm1', (a) => a.xorpdRR(xmm0, xmm1), '66 0f 57 c1'],
  ['pxor xmm0,xmm0', (a) => a.pxorRR(xmm0, xmm0), '66 0f ef c0'],
  ['movaps xmm0,xmm8', (a) => a.movapsRR(xmm0, xmm8), '41 0f 28 c0'],
  ['movapd xmm0,xmm1', (a) => a.movapdRR(xmm0, xmm1), '66 0f 28 c1'],
];

describe('x64 assembler: expected bytes per form', () => {
  it.each(cases)('%s', (_name, emit, hex) => {
    expect(bytesOf(emit)).toBe(hex);
  });
});

describe('x64 assembler: labels, branches and the constant pool', () => {
  it('uses the 2-byte short form for a backward branch in reach', () => {
    expect(
      bytesOf((a) => {
        const top = a.newLabel();
        a.bind(top);
        a.jcc(Cond.E, top);
        a.jmp(top);
      }),
    ).toBe('74 fe eb fc');
  });

  it('uses the near form for a backward branch out of rel8 reach', () => {
    const a = new Assembler();
    const top = a.newLabel();
    a.bind(top);
    a.nops(200);
    a.jcc(Cond.NE, top); // at 200: rel32 = 0 - 206 = -206 = 0xffffff32
    a.jmp(top); // at 206: rel32 = 0 - 211 = 0xffffff2d
    const code = a.finish().code;
    expect(Array.from(code.subarray(200), (b) => b.toString(16).padStart(2, '0')).join(' ')).toBe(
      '0f 85 32 ff ff ff e9 2d ff ff ff',
    );
  });

  it('patches forward near branches and calls when the label is bound', () => {
    expect(
      bytesOf((a) => {
        const end = a.newLabel();
        a.jcc(Cond.NE, end);
        a.callLabel(end);
        a.nop();
        a.bind(end);
      }),
    ).toBe('0f 85 06 00 00 00 e8 01 00 00 00 90');
  });

  it('patches explicit short forward branches and rejects ones out of reach', () => {
    expect(
      bytesOf((a) => {
        const end = a.newLabel();
        a.jmpShort(end);
        a.nop();
        a.bind(end);
      }),
    ).toBe('eb 01 90');
    const a = new Assembler();
    const far = a.newLabel();
    a.jccShort(Cond.E, far);
    a.nops(128);
    expect(() => a.bind(far)).toThrow(CodeBufferError);
  });

  it('addresses a constant-pool entry RIP-relative, measured from the end of the instruction', () => {
    const a = new Assembler();
    const constant = a.buffer.addConstant([1, 2, 3, 4, 5, 6, 7, 8], 8);
    a.movsdRM(xmm0, Mem.label(constant)); // 8 bytes; pool aligned to 8 after ret → offset 16
    a.ret();
    const hex = Array.from(a.finish().code, (b) => b.toString(16).padStart(2, '0')).join(' ');
    expect(hex).toBe('f2 0f 10 05 08 00 00 00 c3 00 00 00 00 00 00 00 01 02 03 04 05 06 07 08');
  });

  it('accounts for a trailing immediate in RIP-relative distances', () => {
    expect(
      bytesOf((a) => {
        const here = a.newLabel();
        a.bind(here);
        a.cmpMI(32, Mem.label(here), 5); // 7 bytes: distance 0 - 7
      }),
    ).toBe('83 3d f9 ff ff ff 05');
  });

  it('pads to an alignment with one multi-byte NOP', () => {
    expect(
      bytesOf((a) => {
        a.nop();
        a.align(8);
      }),
    ).toBe('90 0f 1f 80 00 00 00 00');
  });
});

describe('x64 assembler: relocations', () => {
  it('leaves call rel32 and movabs fields to the runtime as relocations', () => {
    const a = new Assembler();
    a.callReloc(RelocTarget.Function, 7); // e8 + rel32 field at 1
    a.movabsRReloc(r11, RelocTarget.Builtin, 3, 16); // 49 bb + imm64 field at 7
    a.callAbs(0x1234_5678, 0x9abc, rax);
    const { code, relocations } = a.finish();
    expect(Array.from(code, (b) => b.toString(16).padStart(2, '0')).join(' ')).toBe(
      'e8 00 00 00 00 49 bb 00 00 00 00 00 00 00 00 48 b8 78 56 34 12 bc 9a 00 00 ff d0',
    );
    expect(relocations).toEqual([
      { at: 1, kind: RelocKind.PcRel32, target: RelocTarget.Function, index: 7, addend: 0 },
      { at: 7, kind: RelocKind.Abs64, target: RelocTarget.Builtin, index: 3, addend: 16 },
    ]);
  });
});

describe('x64 assembler: invalid operands', () => {
  it('rejects rsp as an index register', () => {
    expect(() => new Assembler().movRM(64, rax, Mem.indexed(rax, rsp, 1))).toThrow(/rsp cannot be an index/);
  });
  it('rejects immediates that do not fit the operation', () => {
    expect(() => new Assembler().addRI(64, rax, 0x8000_0000)).toThrow(AssemblerError);
    expect(() => new Assembler().addRI(8, rax, 256)).toThrow(AssemblerError);
    expect(() => new Assembler().addRI(32, rax, 1.5)).toThrow(AssemblerError);
    expect(() => new Assembler().movRI(64, rax, 2 ** 60)).toThrow(/pass a bigint/);
  });
  it('rejects register numbers outside 0-15 (e.g. a contract Reg with its class bits)', () => {
    expect(() => new Assembler().addRR(64, rax, 32 + 3)).toThrow(/invalid register encoding/);
    expect(() => new Assembler().pushR(-2)).toThrow(AssemblerError);
    expect(() => new Assembler().movRM(64, rax, Mem.base(16))).toThrow(AssemblerError);
  });
  it('rejects forms that do not exist', () => {
    expect(() => new Assembler().imulRR(8, rax, rcx)).toThrow(/no 8-bit form/);
    expect(() => new Assembler().cmovccRR(Cond.E, 8, rax, rcx)).toThrow(AssemblerError);
    expect(() => new Assembler().shlRI(32, rax, 256)).toThrow(AssemblerError);
    expect(() => new Assembler().movRM(64, rax, Mem.indexed(rax, rcx, 3 as 1))).toThrow(/scale/);
    expect(() => new Assembler().movRM(64, rax, Mem.base(rax, 2 ** 31))).toThrow(/displacement/);
  });
});
