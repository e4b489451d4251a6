// The child process that runs one test file on one engine: `node child.js <engine> <suite root>
// <file>`. It reports each subtest over IPC as it finishes, so that a crash (a signal from
// generated code, an out-of-memory abort) loses only what had not finished.

import { engineNamed } from './engines.ts';
import { runTestFile } from './run-file.ts';
import { Harness, describeError, type SubtestResult } from './testharness.ts';

export type ChildMessage = { readonly type: 'result'; readonly result: SubtestResult } | { readonly type: 'done'; readonly errors: string[]; readonly skipped: string | null };

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

async function main(): Promise<void> {
  const [engineName, root, file] = process.argv.slice(2);
  if (engineName === undefined || root === undefined || file === undefined || process.send === undefined) {
    throw new Error('usage (as a forked child): child.js <engine> <suite root> <file>');
  }
  // The suite's helpers expect a global named `self`, as in a window, a worker or a JS shell.
  Object.defineProperty(globalThis, 'self', { value: globalThis, writable: true, configurable: true });
  const unsupportedReason = await engineNamed(engineName).install();
  const pending: Promise<void>[] = [];
  const harness = new Harness({ unsupportedReason, onResult: (result) => void pending.push(send({ type: 'result', result })) });
  process.on('unhandledRejection', (reason) => harness.harnessError(`unhandled rejection: ${describeError(reason)}`));
  process.on('uncaughtException', (error) => harness.harnessError(`uncaught exception: ${describeError(error)}`));
  const run = await runTestFile(root, file, harness);
  await Promise.all(pending);
  await send({ type: 'done', errors: run.errors, skipped: run.skipped });
  // Compile workers or timers a test left behind must not keep the file running.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`js-api child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(3);
});
