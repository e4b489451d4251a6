// The README's example, kept runnable: same code, same printed bytes.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Assembler, Cond, Gpr, Mem } from '../src/assembler/index.ts';

describe('README example', () => {
  it('assembles to the bytes the README prints', () => {
    const a = new Assembler();
    const loop = a.newLabel();
    const done = a.newLabel();
    a.xorRR(32, Gpr.rax, Gpr.rax);
    a.testRR(64, Gpr.rsi, Gpr.rsi);
    a.jcc(Cond.E, done);
    a.bind(loop);
    a.addRM(64, Gpr.rax, Mem.base(Gpr.rdi));
    a.addRI(64, Gpr.rdi, 8);
    a.decR(64, Gpr.rsi);
    a.jcc(Cond.NE, loop);
    a.bind(done);
    a.xorRR(32, Gpr.rcx, Gpr.rcx);
    a.testRR(64, Gpr.rax, Gpr.rax);
    a.cmovccRR(Cond.L, 64, Gpr.rax, Gpr.rcx);
    a.ret();
    const hex = Array.from(a.finish().code, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const printed = /^\/\/ ((?:[0-9a-f]{2} )*[0-9a-f]{2})$/m.exec(readme)?.[1];
    expect(hex).toBe(printed);
  });
});
