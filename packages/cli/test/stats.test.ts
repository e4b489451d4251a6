// `--stats`: the engine's compile statistics after `flint run` and `flint compile`, on stderr.
import { DEFAULT_TIER } from '@flint/runtime';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '@flint/decoder';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';
import { examplesDir, tempDir } from './support/cli-process.ts';

function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const text = (s: string | Uint8Array) => (typeof s === 'string' ? s : Buffer.from(s).toString());
  const code = main(argv, {
    stdout: { write: (s: string | Uint8Array) => (stdout += text(s)), isTTY: false },
    stderr: { write: (s: string | Uint8Array) => (stderr += text(s)), isTTY: false },
  });
  return { code, stdout, stderr };
}

const primes = join(examplesDir, 'primes.wasm');
const decoded = decodeModule(new Uint8Array(readFileSync(primes)));
const functions = decoded.codes.length;
const bodyBytes = decoded.codes.reduce((sum, body) => sum + body.code.bytes.length, 0);

describe('--stats', () => {
  it('flint run: every function compiled once, counted for the default tier, after the program’s output', () => {
    const { code, stdout, stderr } = run('run', '--stats', primes, '100');
    expect(code).toBe(0);
    expect(stdout).toContain('100         25');
    expect(stderr).toMatch(/^compile statistics: 1 module\(s\), [\d.]+ ms wall time\n/);
    expect(stderr).toMatch(new RegExp(`\\n  ${DEFAULT_TIER}: ${functions} functions, ${bodyBytes} bytes of Wasm → \\d+ bytes of code, [\\d.]+ ms, [\\d.]+ MB/s\\n$`));
    expect(run('run', primes, '100').stderr).toBe('');
  });

  it('flint run --lazy: only the functions that ran, marked as compiled lazily', () => {
    const { stderr } = run('run', '--stats', '--lazy', primes, '100');
    const match = new RegExp(`${DEFAULT_TIER}: (\\d+) functions, .* (\\d+) compiled lazily`).exec(stderr);
    expect(match).not.toBeNull();
    const [compiled, lazily] = [Number(match![1]), Number(match![2])];
    expect(compiled).toBe(lazily);
    expect(compiled).toBeGreaterThan(0);
    expect(compiled).toBeLessThan(functions);
  });

  it('flint compile, then run from the code cache: functions loaded, none compiled', () => {
    const cache = join(tempDir('stats'), 'primes.flint');
    const compiled = run('compile', '--stats', primes, '-o', cache);
    expect(compiled.code).toBe(0);
    expect(compiled.stderr).toContain(`${DEFAULT_TIER}: ${functions} functions, ${bodyBytes} bytes of Wasm`);
    const loaded = run('run', '--stats', cache, '10');
    expect(loaded.code).toBe(0);
    expect(loaded.stderr).toContain(`${DEFAULT_TIER}: 0 functions, 0 bytes of Wasm → 0 bytes of code, 0.0 ms, ${functions} loaded from a code cache`);
  });
});
