// The compile progress line: drawn only on a terminal and only for large modules, erased after.
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../src/command.ts';
import { PROGRESS_MIN_CODE_BYTES, progressLine, startProgress } from '../src/progress.ts';
import { compileForRun } from '../src/run/compile.ts';
import { styleFor } from '../src/style.ts';

function context(errIsTTY: boolean): { ctx: CommandContext; written: string[] } {
  const written: string[] = [];
  const plain = styleFor({ isTTY: false });
  const ctx: CommandContext = {
    out: () => {},
    err: () => {},
    style: plain,
    errStyle: plain,
    errIsTTY,
    errWrite: (text) => written.push(text),
    guestStdio: { stdin: 0, stdout: 1, stderr: 2 },
  };
  return { ctx, written };
}

describe('progress', () => {
  it('renders a bar proportional to the work done', () => {
    expect(progressLine('compiling a.wasm', 0, 4)).toBe(`compiling a.wasm [${'.'.repeat(30)}]   0% 0/4`);
    expect(progressLine('compiling a.wasm', 2, 4)).toBe(`compiling a.wasm [${'#'.repeat(15)}${'.'.repeat(15)}]  50% 2/4`);
    expect(progressLine('compiling a.wasm', 4, 4)).toBe(`compiling a.wasm [${'#'.repeat(30)}] 100% 4/4`);
  });

  it('draws on a terminal for a large module, and erases the line when done', () => {
    const { ctx, written } = context(true);
    const progress = startProgress(ctx, 'compiling big.wasm', PROGRESS_MIN_CODE_BYTES, 10);
    progress.update(10, 10);
    progress.finish();
    expect(written[0]).toBe(`\r\x1b[K${progressLine('compiling big.wasm', 0, 10)}`);
    expect(written[1]).toBe(`\r\x1b[K${progressLine('compiling big.wasm', 10, 10)}`);
    expect(written.at(-1)).toBe('\r\x1b[K');
  });

  it('draws nothing when stderr is not a terminal, or the module is small', () => {
    for (const [tty, size] of [[false, PROGRESS_MIN_CODE_BYTES * 4], [true, PROGRESS_MIN_CODE_BYTES - 1]] as const) {
      const { ctx, written } = context(tty);
      const progress = startProgress(ctx, 'x', size, 10);
      progress.update(5, 10);
      progress.finish();
      expect(written).toEqual([]);
    }
  });

  it('advances from the engine\'s per-function progress while compiling a large module', () => {
    // 64 functions of `i32.const 1; drop` × 1400 (3 bytes each): just over the drawing threshold.
    const functions = 64;
    const body = [0x00, ...Array.from({ length: 1400 }, () => [0x41, 0x01, 0x1a]).flat(), 0x0b];
    const leb = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...leb(n >>> 7)]);
    const codeSection = [...leb(functions), ...Array.from({ length: functions }, () => [...leb(body.length), ...body]).flat()];
    const bytes = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type 0: [] -> []
      0x03, ...leb(functions + 1), ...leb(functions), ...Array<number>(functions).fill(0),
      0x0a, ...leb(codeSection.length), ...codeSection,
    ]);
    expect(functions * body.length).toBeGreaterThan(PROGRESS_MIN_CODE_BYTES);
    const { ctx, written } = context(true);
    compileForRun(ctx, 'big.wasm', bytes, 'baseline', false);
    expect(written[0]).toBe(`\r\x1b[K${progressLine('compiling big.wasm', 0, functions)}`);
    // The last update (all done) is always drawn, whatever the redraw interval skipped before it.
    expect(written.at(-2)).toBe(`\r\x1b[K${progressLine('compiling big.wasm', functions, functions)}`);
    expect(written.at(-1)).toBe('\r\x1b[K');
  });
});
