// Every execution test on every configuration: each `.wast` script of `cases/` (the compiler
// engineers' tests) and `seeds/` (the runtime's) runs on every tier × backend in ENGINE_CONFIGS.
// A command the engine reports as unsupported (`proposal not supported: …`) counts as skipped
// and is listed; every other failure fails the script with its line numbers. A script where
// nothing ran fails, unless the CPU lacks what it needs (and every skip says so).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWast } from '@flint/text';
import { WastRunner } from '@flint/wast';
import { ENGINE_CONFIGS } from '../src/index.ts';

const root = join(import.meta.dirname, '..');
const scripts = ['cases', 'seeds'].flatMap((dir) => {
  const path = join(root, dir);
  if (!existsSync(path)) return [];
  return readdirSync(path)
    .filter((file) => file.endsWith('.wast'))
    .sort()
    .map((file) => ({ name: `${dir}/${file}`, path: join(path, file) }));
});

describe('execution tests', () => {
  describe.each(ENGINE_CONFIGS)('$name', (config) => {
    it('finds execution scripts', () => {
      expect(scripts.length).toBeGreaterThan(0);
    });
    it.each(scripts)('$name', ({ name, path }) => {
      const script = parseWast(readFileSync(path, 'utf8'), name);
      const outcomes = new WastRunner(config.options).run(script);
      const failures = outcomes.filter((o) => o.status === 'fail').map((o) => `${name}:${o.line} ${o.command}: ${o.message}`);
      expect(failures).toEqual([]);
      // A script runs something, unless this CPU cannot run what it tests (x64 capped by
      // FLINT_X64_FEATURES=sse2 has no SIMD): then every command is a feature-truth skip saying so.
      if (!outcomes.some((o) => o.status === 'pass')) {
        expect(outcomes.map((o) => o.message).filter((message) => !/^proposal not supported: .*this CPU lacks/.test(message))).toEqual([]);
      }
    });
  });
});
