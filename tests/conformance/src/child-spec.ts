// How to start the child process of an executing engine: the built child script
// (dist/exec-child.cjs) under this machine's Node when the engine's backend is the host's, or
// under the backend's user-mode emulator (its `isa.emulator`: e.g. qemu-user running a Node for
// that ISA from a sysroot) otherwise.
//
// The child script is one CommonJS bundle whose only external module is koffi, and the koffi it
// needs depends on the CPU it runs on. The child finds it through NODE_PATH, set here to the
// node_modules folder holding the right build: the runtime's own koffi for the host's CPU, the
// emulated ISA's build (made by its setup scripts) under emulation. Nothing between the bundle
// and the filesystem root holds a koffi, so NODE_PATH is what decides.
import type { Backend, IsaEmulator } from '@flint/backend';
import { registeredBackends } from '@flint/runtime';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, delimiter, dirname, join } from 'node:path';
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

/** The cache folder of an emulator's setup scripts (its `cacheEnv`, default `<repo>/.cache`). */
export function emulationCache(emulator: IsaEmulator, repoRoot: string): string {
  return process.env[emulator.cacheEnv] ?? join(repoRoot, '.cache');
}

function onPath(command: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));
}

function backendNamed(name: string): Backend {
  const backend = registeredBackends().find((known) => known.name === name);
  if (backend === undefined) throw new ChildSetupError(`no backend named ${name} is registered`);
  return backend;
}

/** Where an emulated backend's pieces live, and what is missing (empty when it can run). */
function emulation(backend: Backend, repoRoot: string): { emulator: IsaEmulator; sysroot: string; node: string; koffiModules: string; missing: string[] } | null {
  const emulator = backend.isa.emulator;
  if (emulator === null || !emulator.hostArchs.includes(process.arch) || process.platform !== 'linux') return null;
  const cache = emulationCache(emulator, repoRoot);
  const sysroot = join(cache, emulator.sysroot);
  const node = join(sysroot, 'usr', 'bin', 'node');
  const koffiModules = join(cache, emulator.koffiModules);
  const missing: string[] = [];
  if (!onPath(emulator.command)) missing.push(`${emulator.command} (apt-get install ${emulator.aptPackages.join(' ')})`);
  if (!existsSync(node)) missing.push(`the ${backend.name} sysroot's Node at ${node}`);
  if (!existsSync(join(koffiModules, 'koffi', 'package.json'))) missing.push(`koffi for ${backend.name} in ${koffiModules}`);
  return { emulator, sysroot, node, koffiModules, missing };
}

/** Why backend `name` cannot run here (natively or emulated), or null when it can. */
export function cannotRunReason(name: string, repoRoot: string): string | null {
  const backend = backendNamed(name);
  if (backend.isa.nodeArch === process.arch) return null;
  const emulated = emulation(backend, repoRoot);
  if (emulated === null) return `${name} code can run on this ${process.platform}/${process.arch} host neither natively nor under emulation`;
  if (emulated.missing.length === 0) return null;
  const scripts = emulated.emulator.setupScripts.map((script) => `packages/codegen-${name}/${script}`).join(' and ');
  return `${name} runs under ${emulated.emulator.command} here and needs ${emulated.missing.join(', ')}: run ${scripts}`;
}

/** True when the engine's scripts run natively here. */
export function runsNatively(target: ExecutionTarget): boolean {
  return backendNamed(target.backend).isa.nodeArch === process.arch;
}

function hostKoffiModules(repoRoot: string): string {
  const runtimeRequire = createRequire(join(repoRoot, 'packages', 'runtime', 'package.json'));
  // .../node_modules/koffi/<main file> → .../node_modules (koffi's package.json is not exported)
  let dir = dirname(runtimeRequire.resolve('koffi'));
  while (basename(dir) !== 'koffi') dir = dirname(dir);
  return dirname(dir);
}

function withNodePath(modules: string): NodeJS.ProcessEnv {
  const inherited = process.env['NODE_PATH'];
  return { ...process.env, NODE_PATH: inherited ? `${modules}${delimiter}${inherited}` : modules };
}

export function childSpecFor(engineName: string, target: ExecutionTarget, where: ChildLocations): ChildSpec {
  if (!existsSync(where.childScript)) {
    throw new ChildSetupError(`${where.childScript} does not exist: build the harness first (pnpm --filter @flint/conformance build, which pnpm conformance does)`);
  }
  if (runsNatively(target)) {
    return { command: process.execPath, args: [...NODE_FLAGS, where.childScript, engineName], env: withNodePath(hostKoffiModules(where.repoRoot)) };
  }
  const reason = cannotRunReason(target.backend, where.repoRoot);
  if (reason !== null) throw new ChildSetupError(`engine ${engineName}: ${reason}`);
  const emulated = emulation(backendNamed(target.backend), where.repoRoot)!;
  return {
    command: emulated.emulator.command,
    args: ['-L', emulated.sysroot, emulated.node, ...NODE_FLAGS, where.childScript, engineName],
    env: withNodePath(emulated.koffiModules),
  };
}
