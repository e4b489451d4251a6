// How this machine starts a Node process whose CPU runs a backend's code: this Node when the
// backend's ISA is the host's, else the ISA's own Node (from a sysroot) under the ISA's user-mode
// emulator (its `isa.emulator`, e.g. qemu-user), or not at all — with a reason saying what to set
// up. Used by every harness that runs generated code in a child process (the conformance
// harness's executing engines, the backend kit's runner), so there is one answer to the question.
//
// Such children are CommonJS bundles whose only external module is koffi, and the koffi they need
// depends on the CPU they run on: NODE_PATH names the node_modules folder holding the right build
// (the runtime's own koffi natively, the emulated ISA's build, made by its setup scripts, under
// emulation). Nothing between a bundle and the filesystem root should hold a koffi, so NODE_PATH
// is what decides.

import type { Backend, IsaEmulator } from '@flint/backend';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, delimiter, dirname, join } from 'node:path';

export interface IsaNode {
  /** The program to start: this Node, or the emulator. */
  readonly command: string;
  /** Arguments before Node's own (under emulation: the sysroot and the ISA's Node). */
  readonly args: readonly string[];
  /** This process's environment with the ISA's koffi first on NODE_PATH. */
  readonly env: NodeJS.ProcessEnv;
  readonly emulated: boolean;
}

export type IsaNodeLookup = { readonly available: true; readonly node: IsaNode } | { readonly available: false; readonly reason: string };

/** The cache folder of an emulator's setup scripts (its `cacheEnv`, default `<repo>/.cache`). */
function emulationCache(emulator: IsaEmulator, repoRoot: string): string {
  return process.env[emulator.cacheEnv] ?? join(repoRoot, '.cache');
}

function onPath(command: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));
}

/** The node_modules folder holding the koffi this (the host's) Node loads. */
function hostKoffiModules(): string {
  // .../node_modules/koffi/<main file> → .../node_modules (koffi's package.json is not exported).
  let dir = dirname(createRequire(import.meta.url).resolve('koffi'));
  while (basename(dir) !== 'koffi') dir = dirname(dir);
  return dirname(dir);
}

function withNodePath(modules: string): NodeJS.ProcessEnv {
  const inherited = process.env['NODE_PATH'];
  return { ...process.env, NODE_PATH: inherited ? `${modules}${delimiter}${inherited}` : modules };
}

/**
 * How to start Node for `backend`'s ISA here. `repoRoot` locates the default emulation cache and
 * the setup scripts named in the reason (`packages/codegen-<isa>/<script>`).
 */
export function findIsaNode(backend: Backend, repoRoot: string): IsaNodeLookup {
  if (backend.isa.nodeArch === process.arch) {
    return { available: true, node: { command: process.execPath, args: [], env: withNodePath(hostKoffiModules()), emulated: false } };
  }
  const emulator = backend.isa.emulator;
  if (emulator === null || !emulator.hostArchs.includes(process.arch) || process.platform !== 'linux') {
    return { available: false, reason: `${backend.name} code can run on this ${process.platform}/${process.arch} host neither natively nor under emulation` };
  }
  const cache = emulationCache(emulator, repoRoot);
  const sysroot = join(cache, emulator.sysroot);
  const node = join(sysroot, 'usr', 'bin', 'node');
  const koffiModules = join(cache, emulator.koffiModules);
  const missing: string[] = [];
  if (!onPath(emulator.command)) missing.push(`${emulator.command} (apt-get install ${emulator.aptPackages.join(' ')})`);
  if (!existsSync(node)) missing.push(`the ${backend.name} sysroot's Node at ${node}`);
  if (!existsSync(join(koffiModules, 'koffi', 'package.json'))) missing.push(`koffi for ${backend.name} in ${koffiModules}`);
  if (missing.length > 0) {
    const scripts = emulator.setupScripts.map((script) => `packages/codegen-${backend.name}/${script}`).join(' and ');
    return { available: false, reason: `${backend.name} runs under ${emulator.command} here and needs ${missing.join(', ')}: run ${scripts}` };
  }
  return { available: true, node: { command: emulator.command, args: ['-L', sysroot, node], env: withNodePath(koffiModules), emulated: true } };
}
