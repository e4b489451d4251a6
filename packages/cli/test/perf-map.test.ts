// `flint run --perf-map` under the real Linux `perf`: samples in a hot Wasm loop must be reported
// under the function's name from /tmp/perf-<pid>.map, not as a raw address. Software event
// (cpu-clock), so no hardware counters are needed. perf is required under FLINT_REQUIRE_ENV=1
// (CI; .ci/run installs linux-perf); elsewhere the test is skipped with its reason when it is missing.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { available } from '@flint/test-support';
import { bundle, tempDir } from './support/cli-process.ts';

const perfVersion = spawnSync('perf', ['--version'], { encoding: 'utf8' });
// Required where every environment dependency is (FLINT_REQUIRE_ENV=1, as CI runs the tests).
const hasPerf = available('Linux perf (Debian package linux-perf)', perfVersion.status === 0);

const perfMaps = (): Set<string> => new Set(readdirSync('/tmp').filter((name) => /^perf-\d+\.map$/.test(name)));

describe.skipIf(!hasPerf)('flint run --perf-map with Linux perf (skipped where perf is not installed, never in CI)', () => {
  it('perf report names the hot Wasm function', () => {
    const dir = tempDir('perf');
    const module = join(dir, 'hot.wat');
    // About a second of integer work in one function: an LCG iterated n times.
    writeFileSync(
      module,
      `(module (func $spin (export "spin") (param $n i32) (result i32) (local $x i32)
         (loop $again
           (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
           (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
         (local.get $x)))`,
    );
    const data = join(dir, 'perf.data');
    const mapsBefore = perfMaps();
    const record = spawnSync('perf', ['record', '-e', 'cpu-clock', '-F', '999', '-o', data, '--', process.execPath, bundle(), 'run', '--tier', 'baseline', '--perf-map', '--invoke', 'spin', module, '400000000'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 120_000,
    });
    const newMaps = [...perfMaps()].filter((name) => !mapsBefore.has(name));
    try {
      expect(record.status, record.stderr).toBe(0);
      expect(record.stdout).toMatch(/^-?\d+\n$/);
      expect(newMaps).toHaveLength(1);
      const report = spawnSync('perf', ['report', '-i', data, '--stdio', '--sort', 'sym', '--no-children'], { encoding: 'utf8', timeout: 120_000 });
      expect(report.status, report.stderr).toBe(0);
      // `    87.65%  [.] wasm-function[0] spin [baseline]`
      const line = report.stdout.split('\n').find((text) => text.includes('wasm-function[0] spin [baseline]'));
      expect(line, report.stdout.slice(0, 2000)).toBeDefined();
      const share = Number(/([\d.]+)%/.exec(line!)![1]);
      expect(share, line).toBeGreaterThan(30);
    } finally {
      for (const name of newMaps) rmSync(join('/tmp', name), { force: true });
    }
  }, 240_000);
});
