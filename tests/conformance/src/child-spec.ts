// How to start the child process of an executing engine: the built child script
// (dist/exec-child.cjs) under this machine's Node for the host's CPU, or under the arm64
// sysroot's Node through qemu-user (scripts/arm64/) when the engine targets arm64 on another CPU.
//
// The child script is one CommonJS bundle whose only external module is koffi, and the koffi it
// needs depends on the CPU it runs on. The child finds it through NODE_PATH, set here to the
// node_modules folder holding the right build: the runtime's own koffi for the host's CPU, the
// arm64 build installed by scripts/arm64/smoke.sh under emulation. Nothing between the bundle and
// the filesystem root holds a koffi, so NODE_PATH is what decides.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import type { ChildSpec } from './child-pool.ts';
import type { ExecutionTarget } from './engine.ts';

/** A prerequisite of a child process is missing: the message says how to provide it. */
export class ChildSetupError extends Error {
  override readonly name = 'ChildSetupError';
}

// One V8 stack limit for native and emulated children (V8's 64-bit default, stated so that a
// Node with another default cannot make assert_exhaustion scripts recurse to another depth).
const NODE_FLAGS = ['--stack-size=984'];

export interface ChildLocations {
  readonly repoRoot: string;
  /** The built child script (dist/exec-child.cjs). */
  readonly childScript: string;
}

/** The cache folder of scripts/arm64/ (`FLINT_ARM64_CACHE`, default `<repo>/.cache`). */
export function arm64Cache(repoRoot: string): string {
  return process.env['FLINT_ARM64_CACHE'] ?? join(repoRoot, '.cache');
}

const QEMU = 'qemu-aarch64';

function onPath(command: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));
}

/** True when an arm64 engine can run here: natively, or with qemu, the sysroot and its koffi present. */
export function canRunArm64(repoRoot: string): boolean {
  if (process.arch === 'arm64') return true;
  const cache = arm64Cache(repoRoot);
  return onPath(QEMU) && existsSync(join(cache, 'arm64-sysroot', 'usr', 'bin', 'node')) && existsSync(join(cache, 'arm64-koffi', 'node_modules', 'koffi', 'package.json'));
}

function hostKoffiModules(repoRoot: string): string {
  const runtimeRequire = createRequire(join(repoRoot, 'packages', 'runtime', 'package.json'));
  // .../node_modules/koffi/package.json → .../node_modules
  return dirname(dirname(runtimeRequire.resolve('koffi/package.json')));
}

function childEnv(modules: string, target: ExecutionTarget): NodeJS.ProcessEnv {
  const inherited = process.env['NODE_PATH'];
  return { ...process.env, ...target.env, NODE_PATH: inherited ? `${modules}${delimiter}${inherited}` : modules };
}

export function childSpecFor(engineName: string, target: ExecutionTarget, where: ChildLocations): ChildSpec {
  if (!existsSync(where.childScript)) {
    throw new ChildSetupError(`${where.childScript} does not exist: build the harness first (pnpm --filter @flint/conformance build, which pnpm conformance does)`);
  }
  if (target.arch === process.arch) {
    return { command: process.execPath, args: [...NODE_FLAGS, where.childScript, engineName], env: childEnv(hostKoffiModules(where.repoRoot), target) };
  }
  if (target.arch !== 'arm64' || process.arch !== 'x64' || process.platform !== 'linux') {
    throw new ChildSetupError(`engine ${engineName} targets ${target.arch}, which this ${process.platform}/${process.arch} host can run neither natively nor under emulation`);
  }
  const cache = arm64Cache(where.repoRoot);
  const sysroot = join(cache, 'arm64-sysroot');
  const koffiModules = join(cache, 'arm64-koffi', 'node_modules');
  if (!onPath(QEMU) || !existsSync(join(sysroot, 'usr', 'bin', 'node')) || !existsSync(join(koffiModules, 'koffi', 'package.json'))) {
    throw new ChildSetupError(
      `engine ${engineName} runs under qemu-user and needs the arm64 sysroot and koffi under ${cache}: ` +
        'install qemu-user (apt-get install qemu-user), then run scripts/arm64/build-sysroot.sh and scripts/arm64/smoke.sh',
    );
  }
  return {
    command: QEMU,
    args: ['-L', sysroot, join(sysroot, 'usr', 'bin', 'node'), ...NODE_FLAGS, where.childScript, engineName],
    env: childEnv(koffiModules, target),
  };
}
