// Decode + validate throughput of @flint/decoder against V8's `WebAssembly.validate`, on the
// same bytes, in the same process, in one run. Usage: pnpm --filter @flint/bench bench:decode
import { decodeModule, validate } from '@flint/decoder';
import { loadCorpus } from './corpus.ts';
import { mbPerSecond, measure } from './measure.ts';

const rows: string[] = [];
rows.push('| module | origin | size | Flint decode | Flint decode+validate | V8 validate | ratio (Flint/V8 throughput) |');
rows.push('|---|---|---:|---:|---:|---:|---:|');
let flintTotalMs = 0;
let v8TotalMs = 0;
for (const { name, origin, bytes } of loadCorpus()) {
  if (!WebAssembly.validate(bytes)) throw new Error(`${name}: V8 rejects the module; the corpus is broken`);
  validate(bytes); // throws if Flint disagrees
  const opts = { runs: 5, minTimeMs: 1500 };
  const decode = measure(() => decodeModule(bytes), opts);
  const flint = measure(() => validate(bytes), opts);
  const v8 = measure(() => WebAssembly.validate(bytes), opts);
  flintTotalMs += flint.medianMs;
  v8TotalMs += v8.medianMs;
  const mb = (ms: number) => `${mbPerSecond(bytes.length, ms).toFixed(1)} MB/s`;
  rows.push(
    `| ${name} | ${origin} | ${(bytes.length / 1e6).toFixed(2)} MB | ${mb(decode.medianMs)} | ${mb(flint.medianMs)} | ${mb(v8.medianMs)} | ${(v8.medianMs / flint.medianMs).toFixed(3)} |`,
  );
}
console.log(`Decode + validate throughput (median of runs), node ${process.version}\n`);
console.log(rows.join('\n'));
console.log(`\nWhole corpus: Flint takes ${(flintTotalMs / v8TotalMs).toFixed(2)}× V8's time (throughput ratio ${(v8TotalMs / flintTotalMs).toFixed(3)}).`);
