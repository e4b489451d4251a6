// Running the kit for a backend whose ISA this host only emulates: main.ts is bundled (once per
// test file, from sources: workspace packages through the @flint/source condition) into one
// CommonJS file for the emulated ISA's Node, koffi left as a require() that NODE_PATH points at
// the ISA's build, and run in that Node under the ISA's emulator (`findIsaNode`).

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'tsup';
import type { Backend } from '@flint/backend';
import type { IsaNode } from '../../src/testing/isa-node.ts';
import type { KitReport } from './run-kit.ts';

let bundled: Promise<string> | undefined;

/** The kit runner as one CommonJS file (built on first use). */
export function bundleKitRunner(): Promise<string> {
  bundled ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'flint-kit-runner-'));
    await build({
      entry: { 'kit-runner': fileURLToPath(new URL('./main.ts', import.meta.url)) },
      outDir,
      format: ['cjs'],
      outExtension: () => ({ js: '.cjs' }),
      platform: 'node',
      // The oldest Node an emulation sysroot carries.
      target: 'node18',
      noExternal: [/^@flint\//],
      external: ['koffi'],
      // CommonJS has no import.meta: the runtime's uses of import.meta.url get this file's URL.
      banner: { js: "const __flintImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
      esbuildOptions(options) {
        options.conditions = ['@flint/source'];
        options.define = { ...options.define, 'import.meta.url': '__flintImportMetaUrl' };
      },
      config: false,
      dts: false,
      sourcemap: false,
      splitting: false,
      silent: true,
    });
    return join(outDir, 'kit-runner.cjs');
  })();
  return bundled;
}

/** Runs the kit for `backend` in `node` (an emulated Node for its ISA) and returns its report. */
export async function runKitIn(node: IsaNode, backend: Backend, timeoutMs: number): Promise<KitReport> {
  const script = await bundleKitRunner();
  const { stdout } = await promisify(execFile)(node.command, [...node.args, script, backend.name], {
    env: node.env,
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as KitReport;
}
