// Crash isolation of the child pool: a child that dies or hangs costs one script, which is
// reported as failed with the cause, and the queue continues in a new child.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RESULT_PREFIX } from '../src/child-protocol.ts';
import { runInChildPool, type ChildSpec } from '../src/child-pool.ts';
import type { ScriptFile } from '../src/discover.ts';

const fakeChild = fileURLToPath(new URL('./fixtures/fake-child.mjs', import.meta.url));
const spec: ChildSpec = { command: process.execPath, args: [fakeChild, RESULT_PREFIX], env: process.env };

function scripts(...names: string[]): ScriptFile[] {
  const dir = mkdtempSync(join(tmpdir(), 'flint-pool-'));
  return names.map((name, i) => {
    const absolutePath = join(dir, name);
    // Decreasing sizes keep the queue (largest first) in the order given.
    writeFileSync(absolutePath, ' '.repeat(1000 - i));
    return { file: name, absolutePath, group: 'core' };
  });
}

describe('runInChildPool', () => {
  it('runs every script in one child per job and returns results in the given order', async () => {
    const files = scripts('a.wast', 'noisy.wast', 'c.wast');
    const results = await runInChildPool(files, spec, { jobs: 1, timeoutMs: 20_000 });
    expect(results.map((r) => r.file)).toEqual(['a.wast', 'noisy.wast', 'c.wast']);
    expect(results.every((r) => r.failures.length === 0 && r.kinds.module?.passed === 1)).toBe(true);
    const pids = new Set(results.map((r) => r.kinds.module!.passedLines[0]));
    expect(pids.size).toBe(1);
  });

  it('reports a crashed script with its signal and goes on in a fresh child', async () => {
    const files = scripts('a.wast', 'crash.wast', 'c.wast');
    const seen: number[] = [];
    const results = await runInChildPool(files, spec, { jobs: 1, timeoutMs: 20_000, onResult: (_r, done) => seen.push(done) });
    expect(seen).toEqual([1, 2, 3]);
    const [a, crash, c] = results;
    expect(crash!.failures).toHaveLength(1);
    expect(crash!.failures[0]).toMatchObject({ file: 'crash.wast', line: 0, kind: 'module', cause: 'engine' });
    expect(crash!.failures[0]!.actual).toContain('killed by SIGSEGV');
    expect(crash!.failures[0]!.actual).toContain('generated code faulted');
    expect(c!.kinds.module?.passed).toBe(1);
    expect(c!.kinds.module!.passedLines[0]).not.toBe(a!.kinds.module!.passedLines[0]);
  });

  // The limit covers the child's start-up too; 6 s leaves room for a loaded machine.
  it('kills a script that outlives its time limit and reports the timeout', async () => {
    const files = scripts('hang.wast', 'b.wast');
    const results = await runInChildPool(files, spec, { jobs: 2, timeoutMs: 6000 });
    expect(results[0]!.failures[0]!.actual).toContain('timed out after 6 s');
    expect(results[1]!.failures).toEqual([]);
    expect(results[1]!.kinds.module?.passed).toBe(1);
  });

  it('reports a child that cannot start as a failure of each script, without throwing', async () => {
    const files = scripts('a.wast');
    const results = await runInChildPool(files, { command: '/nonexistent/node', args: [], env: process.env }, { jobs: 1, timeoutMs: 5000 });
    expect(results[0]!.failures[0]!.actual).toContain('could not start /nonexistent/node');
  });
});
