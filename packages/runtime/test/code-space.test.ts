// Code space on the real host: hand-encoded x86-64 (bytes from the Intel SDM opcode tables) is
// placed, relocated, made executable and called through koffi.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { RelocKind, RelocTarget, type FinishedCode, type Relocation } from '@flint/backend';
import { CodeSpace } from '../src/code/code-space.ts';
import { backendForHost } from '../src/native/backends.ts';
import { NativeError } from '../src/native/libc.ts';

const onX64Linux = process.arch === 'x64' && process.platform === 'linux';

const piece = (bytes: number[], relocations: Relocation[] = []): FinishedCode => ({
  code: Uint8Array.from(bytes),
  trapSites: [],
  relocations,
});

/** Permission string (`r-xp`, …) of the /proc/self/maps line containing `address`, or undefined. */
function permissionsAt(address: bigint): string | undefined {
  for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const match = /^([0-9a-f]+)-([0-9a-f]+) (\S+)/.exec(line);
    if (match && BigInt(`0x${match[1]}`) <= address && address < BigInt(`0x${match[2]}`)) return match[3];
  }
  return undefined;
}

const binaryI32 = koffi.proto('int32_t flint_test_binary(int32_t a, int32_t b)');
const nullaryI32 = koffi.proto('int32_t flint_test_nullary()');

describe.skipIf(!onX64Linux)('CodeSpace (x64 Linux host; other hosts need their own encodings)', () => {
  it('places code and calls it natively', () => {
    const space = new CodeSpace(backendForHost().isa.instructionCache);
    // lea eax, [rdi + rsi] ; ret
    const region = space.place([piece([0x8d, 0x04, 0x37, 0xc3])]);
    expect(koffi.call(region.addressOf(0), binaryI32, 40, 2)).toBe(42);
    expect(koffi.call(region.addressOf(0), binaryI32, -5, 3)).toBe(-2);
    space.dispose();
  });

  it('keeps pages read+execute, never writable, after placement; dispose unmaps them', () => {
    const space = new CodeSpace(backendForHost().isa.instructionCache);
    const region = space.place([piece([0xc3])]);
    const address = region.addressOf(0);
    expect(permissionsAt(address)).toBe('r-xp');
    region.dispose();
    expect(region.disposed).toBe(true);
    expect(permissionsAt(address)).toBeUndefined();
    expect(() => region.addressOf(0)).toThrow(NativeError);
    space.dispose();
  });

  it('applies Abs64 and PcRel32 relocations between pieces of one placement', () => {
    const space = new CodeSpace(backendForHost().isa.instructionCache);
    const region = space.place([
      // mov rax, imm64 (→ piece 2) ; jmp rax
      piece([0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xe0], [
        { at: 2, kind: RelocKind.Abs64, target: RelocTarget.Function, index: 2, addend: 0 },
      ]),
      // jmp rel32 (→ piece 2)
      piece([0xe9, 0, 0, 0, 0], [{ at: 1, kind: RelocKind.PcRel32, target: RelocTarget.Function, index: 2, addend: 0 }]),
      // mov eax, 7 ; ret
      piece([0xb8, 0x07, 0x00, 0x00, 0x00, 0xc3]),
    ]);
    expect(region.pieceCount).toBe(3);
    expect(Number(region.addressOf(1) - region.addressOf(0))).toBe(16);
    const placedAbs = new DataView(region.bytesOf(0, 12).buffer).getBigUint64(2, true);
    expect(placedAbs).toBe(region.addressOf(2));
    const rel = new DataView(region.bytesOf(1, 5).buffer).getInt32(1, true);
    expect(region.addressOf(1) + 5n + BigInt(rel)).toBe(region.addressOf(2));
    expect(koffi.call(region.addressOf(0), nullaryI32)).toBe(7);
    expect(koffi.call(region.addressOf(1), nullaryI32)).toBe(7);
    space.dispose();
  });

  it('resolves builtin relocations through the resolver, and reports missing resolvers as typed errors', () => {
    const space = new CodeSpace(backendForHost().isa.instructionCache);
    const target = space.place([piece([0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3])]); // mov eax, 42 ; ret
    const caller = space.place(
      [piece([0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xe0], [{ at: 2, kind: RelocKind.Abs64, target: RelocTarget.Builtin, index: 5, addend: 0 }])],
      { resolveBuiltin: (id) => (id === 5 ? target.addressOf(0) : 0n) },
    );
    expect(koffi.call(caller.addressOf(0), nullaryI32)).toBe(42);
    expect(() =>
      space.place([piece([0, 0, 0, 0, 0, 0, 0, 0], [{ at: 0, kind: RelocKind.Abs64, target: RelocTarget.Builtin, index: 1, addend: 0 }])]),
    ).toThrow(/without a builtin resolver/);
    expect(() => space.place([])).toThrow(NativeError);
    space.dispose();
    expect(caller.disposed && target.disposed).toBe(true);
  });

  it('unmaps a region once it is garbage collected, without an explicit dispose', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const space = new CodeSpace(backendForHost().isa.instructionCache);
    const address = ((): bigint => space.place([piece([0xc3])]).addressOf(0))();
    expect(permissionsAt(address)).toBe('r-xp');
    // Finalizers run as tasks after a collection; give them a bounded number of chances.
    for (let i = 0; i < 50 && permissionsAt(address) !== undefined; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(permissionsAt(address)).toBeUndefined();
  });

  it('rejects a PC-relative relocation that cannot reach its target', () => {
    const space = new CodeSpace(backendForHost().isa.instructionCache);
    expect(() =>
      space.place([piece([0xe9, 0, 0, 0, 0], [{ at: 1, kind: RelocKind.PcRel32, target: RelocTarget.TrapExit, index: 0, addend: 0 }])], {
        trapExit: () => 0x10n,
      }),
    ).toThrow(/cannot reach/);
    space.dispose();
  });
});
