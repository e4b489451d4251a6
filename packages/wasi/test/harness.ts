// Runs a WASI command under Node's own WebAssembly with either this package's WASI or Node's
// `node:wasi`, capturing stdio through temporary files (the one channel both accept), and
// snapshots directory trees for comparison.
import {
  closeSync, lstatSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI as NodeWASI } from 'node:wasi';
import { afterAll } from 'vitest';
import { WASI } from '../src/index.ts';

export const examplesDir = fileURLToPath(new URL('../../../examples/wasi/', import.meta.url));

const modules = new Map<string, WebAssembly.Module>();

export function loadExample(name: string): WebAssembly.Module {
  let module = modules.get(name);
  if (module === undefined) {
    module = new WebAssembly.Module(readFileSync(join(examplesDir, `${name}.wasm`)));
    modules.set(name, module);
  }
  return module;
}

export type Implementation = 'flint' | 'node';

export interface RunOptions {
  readonly args?: string[];
  readonly env?: Record<string, string>;
  readonly preopens?: Record<string, string>;
  readonly stdin?: string;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

const tempDirs: string[] = [];

// Registered in the importing test file's top-level suite.
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `flint-wasi-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

export function run(implementation: Implementation, program: string, options: RunOptions = {}): RunResult {
  const io = tempDir('io');
  writeFileSync(join(io, 'stdin'), options.stdin ?? '');
  const stdin = openSync(join(io, 'stdin'), 'r');
  const stdout = openSync(join(io, 'stdout'), 'w');
  const stderr = openSync(join(io, 'stderr'), 'w');
  try {
    const config = {
      args: options.args ?? [program],
      env: options.env ?? {},
      preopens: options.preopens ?? {},
      stdin,
      stdout,
      stderr,
      returnOnExit: true,
    };
    let exitCode: number;
    if (implementation === 'flint') {
      const wasi = new WASI(config);
      const instance = new WebAssembly.Instance(loadExample(program), wasi.imports as WebAssembly.Imports);
      exitCode = wasi.start(instance);
    } else {
      const wasi = new NodeWASI({ version: 'preview1', ...config });
      const instance = new WebAssembly.Instance(loadExample(program), wasi.getImportObject() as WebAssembly.Imports);
      exitCode = wasi.start(instance);
    }
    return {
      stdout: readFileSync(join(io, 'stdout'), 'utf8'),
      stderr: readFileSync(join(io, 'stderr'), 'utf8'),
      exitCode,
    };
  } finally {
    closeSync(stdin);
    closeSync(stdout);
    closeSync(stderr);
  }
}

/** Every entry under `root` with its type and contents (files) or target (symlinks), sorted. */
export function snapshotTree(root: string): string[] {
  const lines: string[] = [];
  const walk = (relative: string): void => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative === '' ? name : `${relative}/${name}`;
      const full = join(root, path);
      const stats = lstatSync(full);
      if (stats.isSymbolicLink()) lines.push(`link ${path} -> ${readlinkSync(full)}`);
      else if (stats.isDirectory()) {
        lines.push(`dir ${path}`);
        walk(path);
      } else lines.push(`file ${path} ${JSON.stringify(readFileSync(full, 'utf8'))}`);
    }
  };
  walk('');
  return lines;
}
