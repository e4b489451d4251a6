// How to start the child process of an executing engine: the built child script
// (dist/exec-child.cjs) in a Node whose CPU runs the engine's backend — this machine's Node when
// the backend is the host's, the backend's own Node under its user-mode emulator otherwise, with
// the koffi for that CPU on NODE_PATH (`findIsaNode` of @flint/runtime/testing decides all that).
import type { Backend } from '@flint/backend';
import { registeredBackends } from '@flint/runtime';
import { findIsaNode } from '@flint/runtime/testing';
import { existsSync } from 'node:fs';
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

function backendNamed(name: string): Backend {
  const backend = registeredBackends().find((known) => known.name === name);
  if (backend === undefined) throw new ChildSetupError(`no backend named ${name} is registered`);
  return backend;
}

/** Why backend `name` cannot run here (natively or emulated), or null when it can. */
export function cannotRunReason(name: string, repoRoot: string): string | null {
  const lookup = findIsaNode(backendNamed(name), repoRoot);
  return lookup.available ? null : lookup.reason;
}

/** True when the engine's scripts run natively here. */
export function runsNatively(target: ExecutionTarget): boolean {
  return backendNamed(target.backend).isa.nodeArch === process.arch;
}

export function childSpecFor(engineName: string, target: ExecutionTarget, where: ChildLocations): ChildSpec {
  if (!existsSync(where.childScript)) {
    throw new ChildSetupError(`${where.childScript} does not exist: build the harness first (pnpm --filter @flint/conformance build, which pnpm conformance does)`);
  }
  const lookup = findIsaNode(backendNamed(target.backend), where.repoRoot);
  if (!lookup.available) throw new ChildSetupError(`engine ${engineName}: ${lookup.reason}`);
  const node = lookup.node;
  return { command: node.command, args: [...node.args, ...NODE_FLAGS, where.childScript, engineName], env: { ...node.env, ...target.env } };
}
