import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeModule } from '@flint/decoder';
import { parseWast, parseWat, printModule } from '../src/index.ts';
const hex = (b: Uint8Array, at: number) => Array.from(b.slice(Math.max(0, at - 8), at + 16), (x) => x.toString(16).padStart(2, '0')).join(' ');
it('debug', () => {
  for (const target of (process.env['T'] ?? '').split(',')) {
    const [file, line] = target.split(':');
    const script = parseWast(readFileSync('/work/shared/spec-testsuite/' + file, 'utf8'), file);
    const cmd = script.commands.find((c) => c.line === Number(line) && c.type === 'module') as any;
    const src = readFileSync('/work/shared/spec-testsuite/' + file, 'utf8').split('\n').slice(Number(line) - 1, Number(line) + 12).join('\n');
    const text = printModule(decodeModule(cmd.bytes), { folded: false });
    let b1: Uint8Array;
    try { b1 = parseWat(text); } catch (e) { console.log(String(e)); console.log(text.slice(0, 3000)); continue; }
    let at = 0; while (at < b1.length && b1[at] === cmd.bytes[at]) at++;
    if (process.env['FULL']) console.log(hex(cmd.bytes, 8).length, Array.from(cmd.bytes, (x: number) => x.toString(16).padStart(2, '0')).join(' '), '\n', Array.from(b1, (x: number) => x.toString(16).padStart(2, '0')).join(' '));
    console.log(`== ${target} diff at ${at}\norig: ${hex(cmd.bytes, at)}\nnew:  ${hex(b1, at)}\n--- source\n${src}\n--- printed\n${text.slice(0, Number(process.env['N'] ?? 1500))}`);
  }
});
