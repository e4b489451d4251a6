// Islands and veneers, on a toy ISA whose short fields reach only a few hundred bytes, so a
// function of a few KiB needs them. Each test runs the finished code through a tiny interpreter
// of the toy ISA: a branch must arrive at its label's offset, straight-line code must flow over
// every island, and a load must read its constant.
import { describe, expect, it } from 'vitest';
import { CodeBuffer, CodeBufferError, type FixupPatcher, type LabelUses } from '@flint/backend';

// The toy ISA: 4-byte instructions, opcode in byte 0.
const NOP = 0x01;
/** jmp: bytes 1-3 hold a signed 24-bit byte displacement from the instruction (kind LONG). */
const JMP = 0x02;
/** br: byte 1 holds a signed word displacement (kind SHORT, ±512 bytes); always taken here. */
const BR = 0x03;
/** ldr: byte 1 holds a signed word displacement to a 4-byte constant (kind LIT, no veneer). */
const LDR = 0x04;
const HALT = 0xff;

const LONG = 0;
const SHORT = 1;
const LIT = 2;

const patch: FixupPatcher = (buffer, kind, at, target) => {
  const delta = target - at;
  if (kind === LONG) {
    if (delta < -(2 ** 23) || delta >= 2 ** 23) throw new CodeBufferError(`jmp at ${at} cannot reach ${target}`);
    buffer.patch8(at + 1, delta);
    buffer.patch16(at + 2, delta >> 8);
    return;
  }
  if (delta % 4 !== 0 || delta < -512 || delta > 508) throw new CodeBufferError(`${kind === SHORT ? 'br' : 'ldr'} at ${at} cannot reach ${target}`);
  buffer.patch8(at + 1, delta >> 2);
};

const TOY: LabelUses = {
  kinds: [
    { maxForward: 2 ** 23 - 1, maxBackward: 2 ** 23, veneerable: true },
    { maxForward: 508, maxBackward: 512, veneerable: true },
    { maxForward: 508, maxBackward: 512, veneerable: false },
  ],
  patch,
  veneerKind: LONG,
  veneerSize: 4,
  codeAlignment: 4,
  emitVeneer(buffer) {
    const at = buffer.length;
    buffer.emit32(JMP);
    return at;
  },
};

/** An assembler for the toy ISA: every instruction starts at an island point. */
class Toy {
  readonly buf = new CodeBuffer({ labelUses: TOY });
  private op(word: number): number {
    const at = this.buf.islandPoint(4);
    this.buf.emit32(word);
    return at;
  }
  nop(count = 1): void {
    for (let i = 0; i < count; i++) this.op(NOP);
  }
  halt(): void {
    this.op(HALT);
  }
  br(label: number): void {
    this.buf.addFixup(label, this.op(BR), SHORT);
  }
  jmp(label: number): void {
    this.buf.addFixup(label, this.op(JMP), LONG);
  }
  ldr(value: number): void {
    this.buf.addFixup(this.buf.addConstant([value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >>> 24], 4), this.op(LDR), LIT);
  }
}

/** Runs toy code from `pc`; returns where it halted, the values loaded and the instructions executed. */
function run(code: Uint8Array, pc = 0): { halt: number; loads: number[]; steps: number } {
  const view = new DataView(code.buffer, code.byteOffset, code.byteLength);
  const loads: number[] = [];
  for (let steps = 0; steps < 100_000; steps++) {
    const op = code[pc];
    if (op === HALT) return { halt: pc, loads, steps };
    if (op === NOP) pc += 4;
    else if (op === JMP) pc += (code[pc + 1]! | (code[pc + 2]! << 8) | (code[pc + 3]! << 16)) << 8 >> 8;
    else if (op === BR) pc += view.getInt8(pc + 1) * 4;
    else if (op === LDR) {
      loads.push(view.getUint32(pc + view.getInt8(pc + 1) * 4, true));
      pc += 4;
    } else throw new Error(`executed a non-instruction byte 0x${op?.toString(16)} at ${pc}`);
  }
  throw new Error('no halt');
}

describe('CodeBuffer islands', () => {
  it('gives a short forward branch a veneer in an island before it runs out of range', () => {
    const t = new Toy();
    const target = t.buf.newLabel();
    t.br(target);
    t.nop(1000); // 4000 bytes: far beyond the branch's 508
    t.buf.bind(target);
    const targetOffset = t.buf.offsetOf(target);
    t.halt();
    const { code } = t.buf.finish();
    expect(t.buf.islands).toBe(1);
    // Taken: branch → veneer → label.
    expect(run(code, 0).halt).toBe(targetOffset);
    // Falling through from the instruction after the branch flows over the island to the same halt.
    expect(run(code, 4).halt).toBe(targetOffset);
    // The island is one jump over it and one veneer.
    expect(code.length).toBe(4 + 1000 * 4 + 4 + 2 * 4);
  });

  it('emits no island when every branch is bound within range', () => {
    const t = new Toy();
    for (let i = 0; i < 50; i++) {
      const l = t.buf.newLabel();
      t.br(l);
      t.nop(100);
      t.buf.bind(l);
    }
    t.halt();
    const { code } = t.buf.finish();
    expect(t.buf.islands).toBe(0);
    expect(code.length).toBe(50 * 101 * 4 + 4);
    expect(run(code).halt).toBe(code.length - 4);
  });

  it('serves many pending branches, each within its own range, across several islands', () => {
    const t = new Toy();
    const labels: number[] = [];
    // 300 branches, one every 32 bytes, to labels bound after all of them: each needs a veneer.
    for (let i = 0; i < 300; i++) {
      const l = t.buf.newLabel();
      labels.push(l);
      t.br(l);
      t.nop(7);
    }
    for (const l of labels) {
      t.buf.bind(l);
      t.halt();
    }
    const { code } = t.buf.finish();
    // Where each label's own halt is (an island may sit between a label and its halt: it is jumped over).
    const ends = labels.map((l) => run(code, t.buf.offsetOf(l)).halt);
    expect(new Set(ends).size).toBe(300);
    expect(t.buf.islands).toBeGreaterThan(1);
    // Every branch (found by scanning the straight-line path) arrives at its own halt.
    let pc = 0;
    for (let i = 0; i < 300; i++) {
      while (code[pc] !== BR) pc += code[pc] === JMP ? (code[pc + 1]! | (code[pc + 2]! << 8) | (code[pc + 3]! << 16)) << 8 >> 8 : 4;
      expect(run(code, pc).halt, `branch ${i}`).toBe(ends[i]);
      pc += 4;
    }
    // From the first branch's fall-through, the straight line (over any island) meets the second
    // branch, which the toy interpreter always takes.
    expect(run(code, 4).halt).toBe(ends[1]);
  });

  it('emits pending constants in an island when their loads would lose sight of the pool', () => {
    const t = new Toy();
    t.ldr(0xdeadbeef);
    t.nop(300);
    t.ldr(0xdeadbeef); // the same bytes again: the first copy is behind, so a fresh one follows
    t.ldr(0x12345678);
    t.halt();
    const { code } = t.buf.finish();
    expect(t.buf.islands).toBe(1);
    expect(run(code).loads).toEqual([0xdeadbeef, 0xdeadbeef, 0x12345678]);
  });

  it('places no island inside a sequence reserved at an island point', () => {
    const t = new Toy();
    const far = t.buf.newLabel();
    t.br(far);
    t.nop(100);
    // 40 instructions that must stay contiguous, reserved while the branch's deadline is near.
    const start = t.buf.islandPoint(160);
    expect(t.buf.islands).toBe(1); // due within the sequence: emitted before it
    for (let i = 0; i < 40; i++) t.buf.emit32(NOP);
    expect(t.buf.length - start).toBe(160);
    t.buf.bind(far);
    t.halt();
    expect(run(t.buf.finish().code).halt).toBeGreaterThan(start);
  });

  it('reports a load that cannot reach a code label (no veneer can serve it)', () => {
    const t = new Toy();
    const label = t.buf.newLabel();
    t.buf.addFixup(label, t.buf.islandPoint(4), LIT);
    t.buf.emit32(LDR);
    t.nop(200);
    expect(() => t.buf.bind(label)).toThrow(/ldr at 0 cannot reach 804/);
  });

  it('starts afresh after reset, and refuses islands without label uses', () => {
    const t = new Toy();
    const l = t.buf.newLabel();
    t.br(l);
    t.nop(200);
    t.buf.bind(l);
    expect(t.buf.islands).toBe(1);
    t.buf.reset();
    expect(t.buf.islands).toBe(0);
    const m = t.buf.newLabel();
    t.br(m);
    t.nop(10);
    t.buf.bind(m);
    t.halt();
    expect(t.buf.finish().code.length).toBe(12 * 4);
    const plain = new CodeBuffer();
    expect(plain.islandNeeded(1 << 30)).toBe(false);
    expect(plain.islandPoint(4)).toBe(0);
    expect(() => plain.emitIsland()).toThrow(/label uses/);
  });
});
