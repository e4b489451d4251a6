// Runs assembled functions on an emulated arm64 CPU: Node.js for arm64 under qemu-user (sysroot
// from packages/codegen-arm64/emulation/build-sysroot.sh) maps the code executable through koffi and calls it. This
// checks what the instructions do, where the objdump round trips check only how they are spelled.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Arm64Assembler, Cond, Gpr, LiteralOp, MemOp } from '../src/assembler/index.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const NODE_SH = join(REPO, 'packages/codegen-arm64/emulation/node.sh');
const CACHE = process.env.FLINT_ARM64_CACHE ?? join(REPO, '.cache');
const KOFFI = join(CACHE, 'arm64-koffi/node_modules/koffi');

function hasQemu(): boolean {
  try {
    execFileSync('qemu-aarch64', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Skipped (not failed) on machines without the emulator, the sysroot or koffi: run
// packages/codegen-arm64/emulation/build-sysroot.sh and packages/codegen-arm64/emulation/smoke.sh to provide them.
const canRun = hasQemu() && existsSync(join(CACHE, 'arm64-sysroot/usr/bin/node')) && existsSync(KOFFI);

interface Fn {
  readonly name: string;
  /** koffi prototype, e.g. `int (int, int)`. */
  readonly proto: string;
  readonly code: number[];
  /** Argument lists; bigint for 64-bit integers, number otherwise, 'memory' for a pointer to `memory`. */
  readonly calls: ReadonlyArray<ReadonlyArray<number | bigint | 'memory'>>;
  /** int64 elements the 'memory' argument points to. */
  readonly memory?: readonly bigint[];
  /** Expected result of each call, as the runner prints it. */
  readonly expected: readonly string[];
}

function assemble(build: (a: Arm64Assembler) => void, farBranches = false): number[] {
  const asm = new Arm64Assembler({ farBranches });
  build(asm);
  return Array.from(asm.finish().code);
}

/** Printed form of a result: integers in decimal, doubles with -0 and NaN kept distinct. */
function show(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  return Object.is(v, -0) ? '-0' : String(v);
}

const { x0, x1, x2, x3 } = Gpr;
const INT_MIN = -(2 ** 31);

function functions(): Fn[] {
  const fns: Fn[] = [];
  const add = (name: string, proto: string, code: number[], calls: Array<Array<number | bigint>>, f: (...args: never[]) => number | bigint) =>
    fns.push({ name, proto, code, calls, expected: calls.map((c) => show((f as (...a: Array<number | bigint>) => number | bigint)(...c))) });
  const memory = [100n, 30n, 7n, (-5n << 32n) | 0x1234n];
  fns.push({
    name: 'ldp/ldr/ldrsw through a pointer',
    proto: 'int64_t (int64_t *)',
    code: assemble((a) => {
      a.ldpRRI(64, x1, x2, x0, 0);
      a.ldrRI(64, x3, x0, 16);
      a.subRRR(64, x1, x1, x2);
      a.addRRR(64, x1, x1, x3);
      a.loadStoreRI(MemOp.ldrsw, x2, x0, 28); // the high half of element 3, sign-extended
      a.addRRShifted(64, x0, x1, x2, 0, 1);
      a.ret();
    }),
    calls: [['memory']],
    memory,
    expected: [show(memory[0]! - memory[1]! + memory[2]! + 2n * (memory[3]! >> 32n))],
  });

  add(
    'max_s32',
    'int (int, int)',
    assemble((a) => {
      const done = a.newLabel();
      a.cmpRR(32, x0, x1);
      a.bCond(Cond.ge, done);
      a.movRR(32, x0, x1);
      a.bind(done);
      a.ret();
    }),
    [[3, 9], [-3, -9], [INT_MIN, 2 ** 31 - 1], [5, 5]],
    (p: number, q: number) => Math.max(p, q),
  );
  add(
    'popcount64',
    'int (int64_t)',
    assemble((a) => {
      a.popcountRR(64, x0, x0, 16);
      a.ret();
    }),
    [[0n], [-1n], [0x8000000000000001n - (1n << 64n)], [0x123456789abcdefn]],
    (v: bigint) => BigInt.asUintN(64, v).toString(2).replaceAll('0', '').length,
  );
  for (const value of [0n, 1n, -1n, 0x1234n, 0xffff0000n, 0x123456789abcdef0n, -0x12345n, 0x00ff00ff00ff00ffn, 0x7fffffffffffffffn]) {
    add(
      `mov ${value}`,
      'int64_t ()',
      assemble((a) => {
        a.movRI(64, x0, value);
        a.ret();
      }),
      [[]],
      () => BigInt.asIntN(64, value),
    );
  }
  add(
    'rem_s32 (sdiv + msub)',
    'int (int, int)',
    assemble((a) => {
      a.sdivRRR(32, x2, x0, x1);
      a.msubRRRR(32, x0, x2, x1, x0);
      a.ret();
    }),
    [[7, 3], [-7, 3], [7, -3], [INT_MIN, -1], [5, 0]],
    // Wasm rem_s semantics; x % 0 would trap in Wasm, the hardware gives x - 0 * 0 = x.
    (p: number, q: number) => (q === 0 ? p : q === -1 ? 0 : p % q),
  );
  add(
    'i32.trunc_sat_f64_s (fcvtzs)',
    'int (double)',
    assemble((a) => {
      a.fcvtzsRR(32, 64, x0, 0);
      a.ret();
    }),
    [[NaN], [1e10], [-1e10], [-1.9], [2147483647.9]],
    (d: number) => (Number.isNaN(d) ? 0 : Math.max(INT_MIN, Math.min(2 ** 31 - 1, Math.trunc(d)))),
  );
  add(
    'f64.min (fmin)',
    'double (double, double)',
    assemble((a) => {
      a.fminRRR(64, 0, 0, 1);
      a.ret();
    }),
    [[NaN, 1], [1, NaN], [-0, 0], [0, -0], [2.5, -3]],
    (p: number, q: number) => (Number.isNaN(p) || Number.isNaN(q) ? NaN : Math.min(p, q)),
  );
  add(
    'and with a bitmask immediate, ubfx, bfi',
    'int64_t (int64_t)',
    assemble((a) => {
      a.andRRI(64, x1, x0, 0x00ff00ff00ff00ffn);
      a.ubfxRRII(64, x2, x0, 8, 12);
      a.bfiRRII(64, x1, x2, 40, 12);
      a.movRR(64, x0, x1);
      a.ret();
    }),
    [[0x0123456789abcdefn], [-1n]],
    (v: bigint) => {
      const u = BigInt.asUintN(64, v);
      const masked = u & 0x00ff00ff00ff00ffn;
      const field = (u >> 8n) & 0xfffn;
      return BigInt.asIntN(64, (masked & ~(0xfffn << 40n)) | (field << 40n));
    },
  );
  add(
    'ldr literal from the constant pool',
    'double ()',
    assemble((a) => {
      const bytes = new Uint8Array(new Float64Array([Math.PI]).buffer);
      a.ldrConstant(LiteralOp.ldrV64, 0, bytes);
      a.ret();
    }),
    [[]],
    () => Math.PI,
  );
  add(
    'forward tbz beyond 32 KiB with farBranches',
    'int (int)',
    assemble((a) => {
      const even = a.newLabel();
      a.tbz(x0, 0, even);
      for (let i = 0; i < 9000; i++) a.nop();
      a.movRI(32, x0, 1);
      a.ret();
      a.bind(even);
      a.movRI(32, x0, 2);
      a.ret();
    }, true),
    [[3], [4], [-1], [0]],
    (v: number) => ((v & 1) === 0 ? 2 : 1),
  );
  add(
    'cset lt',
    'int (int, int)',
    assemble((a) => {
      a.cmpRR(32, x0, x1);
      a.csetR(32, x0, Cond.lt);
      a.ret();
    }),
    [[1, 2], [2, 1], [-5, 3], [INT_MIN, INT_MIN]],
    (p: number, q: number) => (p < q ? 1 : 0),
  );
  add(
    'scvtf + fmov immediate + fadd',
    'double (int)',
    assemble((a) => {
      a.scvtfRR(64, 32, 0, x0);
      a.fmovRI(64, 1, 0.5);
      a.faddRRR(64, 0, 0, 1);
      a.ret();
    }),
    [[-3], [INT_MIN], [7]],
    (v: number) => v + 0.5,
  );
  add(
    'ctz via rbit + clz',
    'int (int)',
    assemble((a) => {
      a.rbitRR(32, x0, x0);
      a.clzRR(32, x0, x0);
      a.ret();
    }),
    [[0], [1], [0x80000000 | 0], [40]],
    (v: number) => (v === 0 ? 32 : 31 - Math.clz32(v & -v)),
  );
  return fns;
}

const RUNNER = `
const koffi = require(process.env.KOFFI);
const libc = koffi.load('libc.so.6');
const mmap = libc.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off)');
const memcpy = libc.func('void *memcpy(void *dst, const void *src, size_t n)');
const show = (v) => typeof v === 'bigint' ? v.toString() : Object.is(v, -0) ? '-0' : String(v);
// Arguments arrive as text: '12n' is a BigInt, 'memory' the function's int64 array, else a Number.
const parse = (s, fn) => s === 'memory' ? new BigInt64Array(fn.memory.map((m) => BigInt(m))) : s.endsWith('n') ? BigInt(s.slice(0, -1)) : Number(s);
const fns = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const out = [];
fns.forEach((fn, i) => {
  const code = Buffer.from(fn.code);
  const mem = mmap(null, code.length, 7, 0x22, -1, 0); // PROT_READ|WRITE|EXEC, MAP_PRIVATE|MAP_ANONYMOUS
  memcpy(mem, code, code.length);
  const proto = koffi.proto(fn.proto.replace('(', 'fn' + i + '('));
  const returns64 = fn.proto.startsWith('int64_t');
  out.push(fn.calls.map((args) => {
    const r = koffi.call(mem, proto, ...args.map((a) => parse(a, fn)));
    return returns64 && typeof r === 'number' ? show(BigInt(r)) : show(r);
  }));
});
console.log(JSON.stringify(out));
`;

describe.skipIf(!canRun)('assembled code executes correctly on arm64 (qemu-user)', () => {
  it('runs every function and matches the JavaScript reference', () => {
    const fns = functions();
    const dir = mkdtempSync(join(tmpdir(), 'flint-a64-exec-'));
    try {
      const payload = fns.map((fn) => ({
        proto: fn.proto,
        code: fn.code,
        calls: fn.calls.map((c) => c.map((v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' ? show(v) : v))),
        memory: fn.memory?.map(String),
      }));
      writeFileSync(join(dir, 'fns.json'), JSON.stringify(payload));
      writeFileSync(join(dir, 'run.cjs'), RUNNER);
      const stdout = execFileSync(NODE_SH, [join(dir, 'run.cjs'), join(dir, 'fns.json')], {
        encoding: 'utf8',
        env: { ...process.env, KOFFI },
        timeout: 170_000,
      });
      const results = JSON.parse(stdout.trim().split('\n').pop()!) as string[][];
      const got = Object.fromEntries(fns.map((fn, i) => [fn.name, results[i]]));
      const want = Object.fromEntries(fns.map((fn) => [fn.name, fn.expected]));
      expect(got).toEqual(want);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
