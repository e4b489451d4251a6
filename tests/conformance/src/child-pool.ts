// Runs scripts in child processes for an executing engine: `jobs` children, each taking scripts
// from one shared queue, largest first. A child serves many scripts so that a slow start-up
// (~10 s for Node under qemu) is paid once per job, not once per file. When a child dies (a
// signal from generated code, an abort, a non-zero exit) or a script outlives its time limit,
// the script it was running is reported as one failure naming the cause, the child is replaced,
// and the queue goes on.
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { RESULT_PREFIX } from './child-protocol.ts';
import type { ScriptFile } from './discover.ts';
import type { FileResult } from './results.ts';
import { newFileResult, recordFailure } from './results.ts';

/** How to start one child: `command args…` with `env`; it speaks the exec-child.ts protocol. */
export interface ChildSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

export interface PoolOptions {
  readonly jobs: number;
  /** A script still running after this long is killed and reported as failed. */
  readonly timeoutMs: number;
  /** Called as each script finishes (progress output). */
  readonly onResult?: (result: FileResult, done: number, total: number) => void;
}

/** The tail of a child's stderr kept for failure reports. */
const STDERR_TAIL = 2000;

/** The result standing for a script whose child did not report one. */
export function crashedResult(script: ScriptFile, cause: string, stderr: string): FileResult {
  const result = newFileResult(script.file, script.group);
  const tail = stderr.trim().split('\n').slice(-4).join(' | ');
  recordFailure(result, {
    file: script.file,
    line: 0,
    kind: 'module',
    cause: 'engine',
    expected: 'the script runs to completion in its child process',
    actual: tail === '' ? cause : `${cause}: ${tail}`,
  });
  return result;
}

interface Pending {
  readonly script: ScriptFile;
  readonly settle: (result: FileResult) => void;
  readonly timer: NodeJS.Timeout;
}

/** One live child and the script it is running, if any. */
class Child {
  readonly #process: ChildProcess;
  #stderr = '';
  #pending: Pending | null = null;
  #exited = false;

  constructor(spec: ChildSpec) {
    this.#process = spawn(spec.command, [...spec.args], { stdio: ['pipe', 'pipe', 'pipe'], env: spec.env });
    this.#process.stderr!.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    // A dead child's stdin errors with EPIPE; the exit handler reports it.
    this.#process.stdin!.on('error', () => {});
    createInterface({ input: this.#process.stdout!, crlfDelay: Infinity }).on('line', (line) => {
      if (!line.startsWith(RESULT_PREFIX) || this.#pending === null) return;
      const pending = this.#pending;
      this.#pending = null;
      clearTimeout(pending.timer);
      try {
        pending.settle(JSON.parse(line.slice(RESULT_PREFIX.length)) as FileResult);
      } catch (error) {
        pending.settle(crashedResult(pending.script, `unreadable result line (${(error as Error).message})`, ''));
      }
    });
    this.#process.on('error', (error) => this.fail(`could not start ${spec.command}: ${error.message}`));
    this.#process.on('close', (code, signal) => this.fail(signal !== null ? `child process killed by ${signal}` : `child process exited with status ${code}`));
  }

  get alive(): boolean {
    return !this.#exited;
  }

  run(script: ScriptFile, timeoutMs: number): Promise<FileResult> {
    return new Promise((settle) => {
      const timer = setTimeout(() => {
        this.fail(`timed out after ${Math.round(timeoutMs / 1000)} s`);
        this.#process.kill('SIGKILL');
      }, timeoutMs);
      this.#pending = { script, settle, timer };
      this.#process.stdin!.write(`${JSON.stringify(script)}\n`);
    });
  }

  close(): void {
    this.#process.stdin!.end();
  }

  private fail(cause: string): void {
    this.#exited = true;
    const pending = this.#pending;
    if (pending === null) return;
    this.#pending = null;
    clearTimeout(pending.timer);
    pending.settle(crashedResult(pending.script, cause, this.#stderr));
  }
}

/** Runs every script in the pool; results come back in the order of `scripts`. */
export async function runInChildPool(scripts: readonly ScriptFile[], spec: ChildSpec, options: PoolOptions): Promise<FileResult[]> {
  const queue = scripts
    .map((script) => ({ script, size: statSync(script.absolutePath).size }))
    .sort((a, b) => b.size - a.size)
    .map((entry) => entry.script);
  const byFile = new Map<string, FileResult>();
  let next = 0;
  const jobs = Math.max(1, Math.min(options.jobs, scripts.length));
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      let child: Child | null = null;
      while (next < queue.length) {
        const script = queue[next++]!;
        if (child === null || !child.alive) child = new Child(spec);
        const result = await child.run(script, options.timeoutMs);
        byFile.set(script.file, result);
        options.onResult?.(result, byFile.size, queue.length);
      }
      child?.close();
    }),
  );
  return scripts.map((script) => byFile.get(script.file)!);
}
