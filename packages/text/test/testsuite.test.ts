// The whole official testsuite: every script parses; every text module of the core suite (the
// testsuite root) encodes, and every `assert_malformed (module quote …)` there is rejected.
// Run with FLINT_TESTSUITE=/path to point elsewhere; skipped (with the reason) when absent.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TESTSUITE, hasTestsuite } from '@flint/test-support';
import { WatSyntaxError, parseWast, parseWat } from '../src/index.ts';
import type { WastCommand } from '../src/index.ts';

const ROOT = TESTSUITE;
const available = hasTestsuite();

function wastFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) wastFiles(path, out);
    else if (path.endsWith('.wast')) out.push(path);
  }
  return out;
}

function* walk(commands: readonly WastCommand[]): Generator<WastCommand> {
  for (const c of commands) {
    if (c.type === 'thread') yield* walk(c.commands);
    else yield c;
  }
}

// Skipped only when the testsuite checkout is missing on this machine (a failure under FLINT_REQUIRE_ENV=1).
describe.skipIf(!available)('official testsuite', () => {
  const files = available ? wastFiles(ROOT) : [];

  it('parses every script (root, proposals, legacy) without a script-level error', () => {
    const failures: string[] = [];
    for (const file of files) {
      try {
        parseWast(readFileSync(file, 'utf8'), relative(ROOT, file));
      } catch (e) {
        failures.push(e instanceof Error ? e.message : String(e));
      }
    }
    expect(files.length).toBeGreaterThan(250);
    expect(failures).toEqual([]);
  }, 180_000);

  it('encodes every core text module and rejects every malformed quoted module', () => {
    const failures: string[] = [];
    let encoded = 0;
    let rejected = 0;
    for (const file of files.filter((f) => !relative(ROOT, f).includes('/'))) {
      const name = relative(ROOT, file);
      for (const c of walk(parseWast(readFileSync(file, 'utf8'), name).commands)) {
        const module = c.type === 'module' ? c : 'module' in c && typeof c.module === 'object' ? c.module : null;
        if (module === null) continue;
        if (c.type === 'assert_malformed') {
          if (module.kind !== 'quote') continue;
          try {
            parseWat(module.source!);
            failures.push(`${name}:${c.line}: accepted, expected "${c.text}"`);
          } catch (e) {
            if (!(e instanceof WatSyntaxError)) throw e;
            rejected++;
          }
          continue;
        }
        if (module.kind === 'text') {
          if (module.error) failures.push(`${name}:${module.line}: ${module.error.message}`);
          else encoded++;
        } else if (module.kind === 'quote') {
          try {
            parseWat(module.source!);
            encoded++;
          } catch (e) {
            failures.push(`${name}:${module.line}: quoted module: ${(e as Error).message}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // Counts as of this testsuite snapshot, so that a silent drop in coverage shows up.
    expect(encoded).toBeGreaterThan(5000);
    expect(rejected).toBeGreaterThan(500);
    console.log(`testsuite: ${encoded} text modules encoded, ${rejected} malformed quoted modules rejected`);
  }, 180_000);
});
