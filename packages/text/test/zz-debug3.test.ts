import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeModule } from '@flint/decoder';
import { parseWast, parseWat, printModule } from '../src/index.ts';
it('classify', () => {
  const targets = readFileSync('/tmp/mismatch.txt', 'utf8').split('\n').filter((l) => l.includes('[flat]')).map((l) => l.split(' [')[0]!);
  const cache = new Map<string, any>();
  for (const target of targets) {
    const i = target.lastIndexOf(':');
    const file = target.slice(0, i), line = Number(target.slice(i + 1));
    if (!cache.has(file)) cache.set(file, parseWast(readFileSync('/work/shared/spec-testsuite/' + file, 'utf8'), file));
    const c0 = cache.get(file).commands.find((c: any) => c.line === line); const cmd = c0.type === 'module' ? c0 : c0.module;
    let b1: Uint8Array;
    try { b1 = parseWat(printModule(decodeModule(cmd.bytes))); } catch (e) { console.log(target, 'ERR', String(e).slice(0, 80)); continue; }
    const secs = (b: Uint8Array) => { const out: [number, Uint8Array][] = []; let at = 8; while (at < b.length) { const id = b[at++]!; let size = 0; for (let sh = 0; ; sh += 7) { const x = b[at++]!; size += (x & 0x7f) * 2 ** sh; if (x < 0x80) break; } out.push([id, b.subarray(at, at + size)]); at += size; } return out; };
    const sa = secs(cmd.bytes), sb = secs(b1);
    for (let k = 0; k < Math.max(sa.length, sb.length); k++) {
      const [ia, pa] = sa[k] ?? [-1, new Uint8Array()]; const [ib, pb] = sb[k] ?? [-1, new Uint8Array()];
      let at = 0; while (at < pa.length && at < pb.length && pa[at] === pb[at]) at++;
      if (ia === ib && at === pa.length && at === pb.length) continue;
      const h = (p: Uint8Array) => Array.from(p.subarray(at, at + 4), (x) => x.toString(16)).join(' ');
      console.log(target, 'sec', ia, ib, 'at', at, 'orig', h(pa), 'new', h(pb));
      break;
    }
  }
});
