// Native execution of the whole conformance kit (and of this package's own cases) on an emulated
// arm64 CPU: test/qemu/conformance-runner.ts is bundled by tsup into one CommonJS file for
// Node 18 and run by Node for arm64 under qemu-user, which assembles every case with this
// package's MacroAssembler, places it in executable memory and calls it through the entry
// trampoline with koffi. One emulated process runs everything (emulated start-up takes seconds).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXECUTABLE_CASES } from '@flint/backend/testing';
import { describe, expect, it } from 'vitest';
import { ARM64_CASES } from './qemu/arm64-cases.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const NODE_SH = join(REPO, 'packages/codegen-arm64/emulation/node.sh');
const CACHE = process.env.FLINT_ARM64_CACHE ?? join(REPO, '.cache');
const KOFFI = join(CACHE, 'arm64-koffi/node_modules/koffi');
/** The koffi the runtime uses; the arm64 copy must match it. */
const KOFFI_VERSION: string = JSON.parse(readFileSync(join(REPO, 'packages/runtime/package.json'), 'utf8')).dependencies.koffi;

function hasQemu(): boolean {
  try {
    execFileSync('qemu-aarch64', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function koffiVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(KOFFI, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

// Skipped (not failed) without the emulator, the sysroot or the arm64 koffi of the runtime's version: run
// packages/codegen-arm64/emulation/build-sysroot.sh and packages/codegen-arm64/emulation/smoke.sh to provide them.
const canRun = hasQemu() && existsSync(join(CACHE, 'arm64-sysroot/usr/bin/node')) && koffiVersion() === KOFFI_VERSION;

interface Group {
  readonly group: string;
  readonly cases: number;
  readonly passed: number;
  readonly failures: readonly { readonly name: string; readonly problems: readonly string[] }[];
}

describe.skipIf(!canRun)('arm64 MacroAssembler runs the conformance cases natively under qemu-user (needs packages/codegen-arm64/emulation setup)', () => {
  it('passes every kit case (short and far branches), every arm64 case, the host-call/nesting and lazy-stub checks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-a64-kit-'));
    try {
      execFileSync('npx', ['tsup', '--config', 'packages/codegen-arm64/emulation/tsup.qemu-runner.config.ts'], {
        cwd: REPO,
        env: { ...process.env, FLINT_ARM64_RUNNER_DIR: dir },
        stdio: 'pipe',
      });
      const stdout = execFileSync(NODE_SH, [join(dir, 'conformance-runner.cjs')], {
        encoding: 'utf8',
        env: { ...process.env, KOFFI },
        timeout: 280_000,
      });
      const report = JSON.parse(stdout.trim().split('\n').pop()!) as { arch: string; koffi: string; groups: Group[] };
      expect(report.arch).toBe('arm64');
      expect(report.koffi).toBe(KOFFI_VERSION);
      const summary = report.groups.map((g) => ({ group: g.group, cases: g.cases, failures: g.failures }));
      expect(summary).toEqual([
        { group: 'kit', cases: EXECUTABLE_CASES.length, failures: [] },
        { group: 'kit-far-branches', cases: EXECUTABLE_CASES.length, failures: [] },
        { group: 'arm64', cases: ARM64_CASES.length, failures: [] },
        { group: 'host-calls', cases: 4, failures: [] },
        { group: 'lazy-stub', cases: 3, failures: [] },
        { group: 'stack-areas', cases: 2, failures: [] },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
