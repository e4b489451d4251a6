// The reference: the same WASI program under Node's own WebAssembly and `node:wasi`, with
// stdio through temporary files (node:wasi takes only fds), for comparison with `flint run`.
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import type { ProcessResult } from './cli-process.ts';
import { tempDir } from './cli-process.ts';

export interface NodeRunOptions {
  readonly env?: Record<string, string>;
  readonly preopens?: Record<string, string>;
  readonly input?: string;
}

export function runUnderNode(wasmPath: string, args: readonly string[], options: NodeRunOptions = {}): ProcessResult {
  const io = tempDir('node-io');
  writeFileSync(join(io, 'stdin'), options.input ?? '');
  const stdin = openSync(join(io, 'stdin'), 'r');
  const stdout = openSync(join(io, 'stdout'), 'w');
  const stderr = openSync(join(io, 'stderr'), 'w');
  try {
    const wasi = new WASI({
      version: 'preview1',
      args: [...args],
      env: options.env ?? {},
      preopens: options.preopens ?? {},
      stdin,
      stdout,
      stderr,
      returnOnExit: true,
    });
    const module = new WebAssembly.Module(readFileSync(wasmPath));
    const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
    const code = wasi.start(instance);
    return { code, stdout: readFileSync(join(io, 'stdout'), 'utf8'), stderr: readFileSync(join(io, 'stderr'), 'utf8') };
  } finally {
    closeSync(stdin);
    closeSync(stdout);
    closeSync(stderr);
  }
}
