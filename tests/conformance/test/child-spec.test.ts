// How executing engines start their children: natively with the host's koffi on NODE_PATH, or
// under qemu-aarch64 with the sysroot's Node and the arm64 koffi, or not at all with a message
// saying what to set up.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChildSetupError, cannotRunReason, childSpecFor } from '../src/child-spec.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'flint-child-spec-'));
const childScript = join(scratch, 'exec-child.cjs');
writeFileSync(childScript, '');
const noGroups = new Map<string, string>();
const saved = { cache: process.env['FLINT_ARM64_CACHE'], path: process.env['PATH'] };

afterEach(() => {
  if (saved.cache === undefined) delete process.env['FLINT_ARM64_CACHE'];
  else process.env['FLINT_ARM64_CACHE'] = saved.cache;
  process.env['PATH'] = saved.path;
});

/** A fake arm64 cache (sysroot node, koffi) and a fake qemu-aarch64 on PATH. */
function fakeArm64Setup(): string {
  const cache = mkdtempSync(join(tmpdir(), 'flint-arm64-cache-'));
  mkdirSync(join(cache, 'arm64-sysroot', 'usr', 'bin'), { recursive: true });
  writeFileSync(join(cache, 'arm64-sysroot', 'usr', 'bin', 'node'), '');
  mkdirSync(join(cache, 'arm64-koffi', 'node_modules', 'koffi'), { recursive: true });
  writeFileSync(join(cache, 'arm64-koffi', 'node_modules', 'koffi', 'package.json'), '{}');
  const bin = join(cache, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'qemu-aarch64'), '#!/bin/sh\n');
  chmodSync(join(bin, 'qemu-aarch64'), 0o755);
  process.env['FLINT_ARM64_CACHE'] = cache;
  process.env['PATH'] = `${bin}${delimiter}${saved.path ?? ''}`;
  return cache;
}

describe.skipIf(process.arch !== 'x64' || process.platform !== 'linux')('childSpecFor on an x64 Linux host', () => {
  it('runs host-CPU engines with this Node and the runtime koffi first on NODE_PATH', () => {
    const spec = childSpecFor('baseline-x64', { backend: 'x64', tier: 'baseline', lazy: false, skippedGroups: noGroups }, { repoRoot, childScript });
    expect(spec.command).toBe(process.execPath);
    expect(spec.args).toEqual(['--stack-size=984', childScript, 'baseline-x64']);
    const first = spec.env['NODE_PATH']!.split(delimiter)[0]!;
    expect(first.endsWith('node_modules')).toBe(true);
    expect(first).toContain('koffi@');
  });

  it("adds the engine's environment variables to the child's", () => {
    const target = { backend: 'x64', tier: 'baseline', lazy: false, skippedGroups: noGroups, env: { FLINT_X64_FEATURES: 'sse2' } };
    const spec = childSpecFor('baseline-x64-sse2', target, { repoRoot, childScript });
    expect(spec.env['FLINT_X64_FEATURES']).toBe('sse2');
    expect(spec.env['PATH']).toBe(process.env['PATH']);
  });

  it('runs arm64 engines under qemu-aarch64 with the sysroot Node and the arm64 koffi', () => {
    const cache = fakeArm64Setup();
    expect(cannotRunReason('arm64', repoRoot)).toBeNull();
    const spec = childSpecFor('baseline-arm64', { backend: 'arm64', tier: 'baseline', lazy: false, skippedGroups: noGroups }, { repoRoot, childScript });
    const sysroot = join(cache, 'arm64-sysroot');
    expect(spec.command).toBe('qemu-aarch64');
    expect(spec.args).toEqual(['-L', sysroot, join(sysroot, 'usr', 'bin', 'node'), '--stack-size=984', childScript, 'baseline-arm64']);
    expect(spec.env['NODE_PATH']!.split(delimiter)[0]).toBe(join(cache, 'arm64-koffi', 'node_modules'));
  });

  it('refuses an arm64 engine without its sysroot, saying how to create it', () => {
    process.env['FLINT_ARM64_CACHE'] = join(scratch, 'no-cache-here');
    expect(cannotRunReason('arm64', repoRoot)).toMatch(/sysroot/);
    const start = () => childSpecFor('baseline-arm64', { backend: 'arm64', tier: 'baseline', lazy: false, skippedGroups: noGroups }, { repoRoot, childScript });
    expect(start).toThrow(ChildSetupError);
    expect(start).toThrow(/packages\/codegen-arm64\/emulation\/build-sysroot\.sh and packages\/codegen-arm64\/emulation\/smoke\.sh/);
  });

  it('refuses to start without the built child script', () => {
    const start = () => childSpecFor('baseline-x64', { backend: 'x64', tier: 'baseline', lazy: false, skippedGroups: noGroups }, { repoRoot, childScript: join(scratch, 'missing.cjs') });
    expect(start).toThrow(/build the harness first/);
  });
});
