// The README's example, run through the package source: it must keep working as written.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { WASI } from '../src/index.ts';

it('runs examples/primes.wasm as the README shows', () => {
  const out: Uint8Array[] = [];
  const wasi = new WASI({
    args: ['primes', '100000'],
    env: { LANG: 'C' },
    preopens: { '/tmp': '/tmp' },
    stdout: (bytes) => out.push(bytes),
  });
  const module = new WebAssembly.Module(readFileSync(fileURLToPath(new URL('../../../examples/primes.wasm', import.meta.url))));
  const instance = new WebAssembly.Instance(module, wasi.imports as WebAssembly.Imports);
  expect(wasi.start(instance)).toBe(0);
  // pi(10^k) for k = 1..5 and the largest prime gap below each limit are well-known values.
  expect(Buffer.concat(out).toString('utf8')).toBe(
    '       limit     primes  max gap\n' +
      '          10          4        2\n' +
      '         100         25        8\n' +
      '        1000        168       20\n' +
      '       10000       1229       36\n' +
      '      100000       9592       72\n',
  );
});
