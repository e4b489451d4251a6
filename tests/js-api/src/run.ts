// Runs test files on engines, each (file, engine) pair in a child process of its own: a file
// may crash or exhaust the heap of the engine under test, and every file must start from a
// fresh global object. `jobs` children run at once.

import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildMessage } from './child.ts';
import type { EngineName } from './engines.ts';
import type { SubtestResult } from './testharness.ts';

export type FileStatus = 'OK' | 'SKIP' | 'ERROR' | 'TIMEOUT' | 'CRASH';

export interface EngineFileResult {
  readonly engine: EngineName;
  readonly file: string;
  /**
   * OK; SKIP (the file could not run: the engine does not implement a feature it needs, `skipped`
   * says which); ERROR (harness-level errors); TIMEOUT or CRASH (the child died; `errors` says how).
   */
  readonly status: FileStatus;
  readonly skipped: string | null;
  readonly errors: readonly string[];
  readonly results: readonly SubtestResult[];
  readonly seconds: number;
}

export interface RunOptions {
  readonly root: string;
  /** The built child entry (dist/child.js). */
  readonly childPath: string;
  readonly jobs: number;
  /** Seconds a file may take; files marked `// META: timeout=long` get `longTimeout`. */
  readonly timeout: number;
  readonly longTimeout: number;
  readonly onFile?: (result: EngineFileResult) => void;
}


export function isLongTest(root: string, file: string): boolean {
  return /^\/\/\s*META:\s*timeout=long/m.test(readFileSync(join(root, file), 'utf8'));
}

export async function runFiles(files: readonly string[], engines: readonly EngineName[], options: RunOptions): Promise<EngineFileResult[]> {
  // Long files first, so that they do not end up alone at the tail of the run.
  const tasks = files
    .flatMap((file) => engines.map((engine) => ({ file, engine, long: isLongTest(options.root, file) })))
    .sort((a, b) => Number(b.long) - Number(a.long));
  const results: EngineFileResult[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      const result = await runOne(task.engine, task.file, task.long ? options.longTimeout : options.timeout, options);
      results.push(result);
      options.onFile?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
  const order = new Map(files.map((file, i) => [file, i]));
  return results.sort((a, b) => order.get(a.file)! - order.get(b.file)! || a.engine.localeCompare(b.engine));
}

function runOne(engine: EngineName, file: string, timeoutSeconds: number, options: RunOptions): Promise<EngineFileResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const results: SubtestResult[] = [];
    let errors: string[] | null = null;
    let skipped: string | null = null;
    let stderr = '';
    const child = fork(options.childPath, [engine, options.root, file], {
      // Node's default heap, as users run it: the limits test's 10^7-segment module must fit.
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'result') results.push(message.result);
      else {
        errors = message.errors;
        skipped = message.skipped;
      }
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      const tail = stderr.trim().split('\n').slice(-5).join('\n');
      let status: FileStatus;
      let fileErrors: string[];
      if (timedOut) {
        status = 'TIMEOUT';
        fileErrors = [`timed out after ${timeoutSeconds} s`];
      } else if (errors === null) {
        status = 'CRASH';
        fileErrors = [`child exited with ${signal ?? `status ${code}`} before finishing${tail ? `: ${tail}` : ''}`];
      } else {
        status = errors.length > 0 ? 'ERROR' : skipped !== null ? 'SKIP' : 'OK';
        fileErrors = errors;
      }
      resolve({ engine, file, status, skipped, errors: fileErrors, results, seconds });
    });
  });
}
