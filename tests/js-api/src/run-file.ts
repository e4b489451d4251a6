// Runs one test file of the JS API suite in this realm: its `// META: script=` helpers, then the
// file itself, each as a classic script (vm.runInThisContext: top-level `this` is the global,
// top-level declarations become globals, as in a browser or a JS shell), then waits for its
// promise tests.

import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { runInThisContext } from 'node:vm';
import type { Harness, SubtestResult } from './testharness.ts';

/** Script paths of web-platform-tests that name this suite's root. */
const SUITE_URL_PREFIX = '/wasm/jsapi/';

export interface FileRun {
  /** The file, relative to the suite root, with `/` separators. */
  readonly file: string;
  readonly results: SubtestResult[];
  /** Harness-level errors (an uncaught exception, a failing setup, an unhandled rejection). */
  readonly errors: string[];
  /** Why the file could not run on this engine (a feature it does not implement), or null. */
  readonly skipped: string | null;
}

/** The helper scripts a test file asks for, in order. */
export function metaScripts(source: string): string[] {
  const scripts: string[] = [];
  for (const line of source.split('\n')) {
    const match = /^\/\/\s*META:\s*script=(\S+)/.exec(line.trim());
    if (match !== null) scripts.push(match[1]!);
  }
  return scripts;
}

/** A META script path as a path under `root`: suite URLs from the root, others beside the test file. */
export function resolveScript(file: string, script: string): string {
  if (script.startsWith(SUITE_URL_PREFIX)) return script.slice(SUITE_URL_PREFIX.length);
  if (script.startsWith('/')) throw new Error(`${file}: META script ${script} is outside the JS API suite`);
  return posix.normalize(posix.join(posix.dirname(file), script));
}

/** Runs `file` (relative to `root`) with `harness` installed on this realm's global object. */
export async function runTestFile(root: string, file: string, harness: Harness): Promise<FileRun> {
  harness.install(globalThis as unknown as Record<string, unknown>);
  const source = readFileSync(join(root, file), 'utf8');
  const scripts = [...metaScripts(source).map((script) => resolveScript(file, script)), file];
  for (const script of scripts) {
    try {
      runInThisContext(script === file ? source : readFileSync(join(root, script), 'utf8'), { filename: join(root, script) });
    } catch (error) {
      harness.scriptError(script, error);
      break;
    }
  }
  await harness.finished();
  return { file, results: harness.results, errors: harness.errors, skipped: harness.skipReason };
}
