// The README's example, kept runnable: the same bytes and calls, with the printed values asserted.
import { expect, it } from 'vitest';
import { StreamingDecoder, decodeModule } from '../src/index.ts';
import { readFileSync } from 'node:fs';

it('runs the README example', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const literal = /Uint8Array\.from\(\[([\s\S]*?)\]\);/.exec(readme)![1]!;
  const bytes = Uint8Array.from(literal.replace(/\/\/[^\n]*/g, '').split(',').map((s) => s.trim()).filter(Boolean).map(Number));
  const module = decodeModule(bytes);
  expect(module.exports[0]?.name).toBe('answer');
  expect([...module.codes[0]!.code.bytes]).toEqual([0x41, 0x2a, 0x0b]);
  const seen: string[] = [];
  const decoder = new StreamingDecoder({
    onCodeSectionStart: (count) => seen.push(`${count} function(s) to compile`),
    onFunctionBody: (body) => seen.push(`function ${body.funcIndex}: ${body.code.bytes.length} bytes`),
  });
  for (let i = 0; i < bytes.length; i += 7) decoder.push(bytes.subarray(i, i + 7));
  expect(decoder.finish()).toEqual(module);
  expect(seen).toEqual(['1 function(s) to compile', 'function 0: 3 bytes']);
});
