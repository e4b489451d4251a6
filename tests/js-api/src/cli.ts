// `pnpm js-api`: runs the spec's JS API tests on Flint and on Node's own WebAssembly, writes
// conformance/js-api.{md,json} (on a full run), and fails when a subtest Flint passed before no
// longer passes (the ratchet, expected/flint.json) or when Node passes a subtest that Flint
// neither passes nor skips for a stated reason.

import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENGINES, engineNamed, type EngineName } from './engines.ts';
import { blessExpected, findRegressions, parseExpected, serializeExpected } from './ratchet.ts';
import { countsOf, findParityGaps, renderJson, renderMarkdown } from './report.ts';
import { runFiles } from './run.ts';
import { matchesFilter } from './filter.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** `shared/spec-js-api` beside the checkout (as CI places it), else /work/shared's. */
const besideCheckout = join(packageDir, '..', '..', '..', 'shared', 'spec-js-api');
const DEFAULT_SUITE = existsSync(besideCheckout) ? besideCheckout : '/work/shared/spec-js-api';
const repoRoot = join(packageDir, '..', '..');
const expectedPath = join(packageDir, 'expected', 'flint.json');

export function discoverFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.any.js')) files.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return files;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', multiple: true },
      filter: { type: 'string', multiple: true },
      jobs: { type: 'string' },
      timeout: { type: 'string' },
      suite: { type: 'string' },
      update: { type: 'boolean' },
      bless: { type: 'boolean' },
      'show-failures': { type: 'boolean' },
    },
  });
  const suite = values.suite ?? process.env.FLINT_JS_API_SUITE ?? DEFAULT_SUITE;
  if (!existsSync(suite)) {
    console.error(`js-api: the suite is not at ${suite} (--suite <dir> or FLINT_JS_API_SUITE)`);
    return 2;
  }
  const engines = (values.engine ?? ENGINES.map((e) => e.name)).map((name) => engineNamed(name).name as EngineName);
  const filters = values.filter ?? [];
  const files = discoverFiles(suite).filter((file) => filters.length === 0 || filters.some((f) => matchesFilter(file, f)));
  const jobs = Number(values.jobs ?? Math.min(availableParallelism(), 8));
  const timeout = Number(values.timeout ?? 120);
  const started = performance.now();
  console.log(`js-api: ${files.length} files × ${engines.join(', ')} (${jobs} jobs) from ${suite}`);

  const results = await runFiles(files, engines, {
    root: suite,
    childPath: fileURLToPath(new URL('./child.js', import.meta.url)),
    jobs,
    timeout,
    longTimeout: Math.max(timeout, 600),
    onFile: (r) => {
      const c = countsOf(r);
      if (values['show-failures'] === true) {
        for (const s of r.results) if (s.status !== 'PASS') console.log(`    ${r.engine} ${s.status} ${r.file}: ${s.name}: ${(s.message ?? '').split('\n')[0]!.slice(0, 240)}`);
        if (r.skipped !== null) console.log(`    ${r.engine} SKIP ${r.file}: ${r.skipped}`);
        for (const e of r.errors) console.log(`    ${r.engine} ${r.status} ${r.file}: ${e.split('\n')[0]!.slice(0, 240)}`);
      }
      console.log(`  ${r.engine.padEnd(5)} ${r.file.padEnd(48)} ${String(c.pass).padStart(4)} / ${String(c.total).padEnd(4)} ${c.skip > 0 ? `(${c.skip} skipped) ` : ''}${r.status === 'OK' ? '' : `${r.status} `}${r.seconds.toFixed(1)} s`);
    },
  });

  const previous = existsSync(expectedPath) ? parseExpected(readFileSync(expectedPath, 'utf8'), expectedPath) : null;
  const descriptions = Object.fromEntries(engines.map((name) => [name, engineNamed(name).description]));
  const fullRun = filters.length === 0 && engines.length === ENGINES.length;
  if (fullRun) {
    const dir = join(repoRoot, 'conformance');
    mkdirSync(dir, { recursive: true });
    const input = { suite: readSuiteSource(suite), results, engineDescriptions: descriptions, knownParityGaps: previous?.knownParityGaps ?? {} };
    writeFileSync(join(dir, 'js-api.md'), renderMarkdown(input));
    writeFileSync(join(dir, 'js-api.json'), renderJson(input));
    console.log(`js-api: wrote conformance/js-api.md and conformance/js-api.json`);
  }

  for (const name of engines) {
    const t = results.filter((r) => r.engine === name).map(countsOf).reduce((a, c) => ({ pass: a.pass + c.pass, total: a.total + c.total, skip: a.skip + c.skip }), { pass: 0, total: 0, skip: 0 });
    console.log(`js-api: ${name}: ${t.pass} of ${t.total} subtests passed${t.skip > 0 ? `, ${t.skip} skipped` : ''}`);
  }
  let status = 0;
  const flintResults = results.filter((r) => r.engine === 'flint');
  if (flintResults.length > 0) {
    if (values.update === true || values.bless === true) {
      writeFileSync(expectedPath, serializeExpected(blessExpected(previous, 'flint', flintResults)));
      console.log(`js-api: blessed ${relative(repoRoot, expectedPath)}`);
    } else if (previous === null) {
      console.error(`js-api: no ratchet at ${relative(repoRoot, expectedPath)}: run with --update to create it`);
      status = 1;
    } else {
      const regressions = findRegressions(previous, flintResults);
      for (const r of regressions) console.error(`  regression: ${r.file}: ${r.name}: ${r.now}`);
      if (regressions.length > 0) {
        console.error(`js-api: ${regressions.length} subtests no longer pass on Flint (see above; --update blesses a deliberate change)`);
        status = 1;
      }
    }
  }
  if (engines.includes('flint') && engines.includes('node')) {
    const known = previous?.knownParityGaps ?? {};
    const gaps = findParityGaps(results);
    const unexplained = gaps.filter((g) => known[g.file]?.[g.name] === undefined);
    for (const g of gaps) if (known[g.file]?.[g.name] !== undefined) console.log(`  known parity gap: ${g.file}: ${g.name}: ${known[g.file]![g.name]}`);
    for (const g of unexplained) console.error(`  parity gap: ${g.file}: ${g.name}: ${g.flint}`);
    const closed = Object.entries(known).flatMap(([file, entries]) =>
      Object.keys(entries).filter((name) => results.some((r) => r.file === file) && !gaps.some((g) => g.file === file && g.name === name)).map((name) => `${file}: ${name}`),
    );
    for (const entry of closed) console.error(`  known parity gap no longer open (remove it from ${relative(repoRoot, expectedPath)}): ${entry}`);
    if (unexplained.length > 0 || closed.length > 0) {
      console.error(`js-api: Node passes ${unexplained.length} subtests that Flint fails without a skip reason or a recorded known gap${closed.length > 0 ? `; ${closed.length} known gaps closed` : ''}`);
      status = 1;
    }
  }
  console.log(`js-api: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return status;
}

function readSuiteSource(suite: string): string {
  const source = join(suite, 'SOURCE.txt');
  // SOURCE.txt's first sentence names the repository and commit.
  const text = existsSync(source) ? readFileSync(source, 'utf8').replace(/\s+/g, ' ') : '';
  const sentence = /^[^.]*\)\./.exec(text)?.[0] ?? text.split('. ')[0];
  return sentence ? `${suite} — ${sentence}` : suite;
}

process.exitCode = await main();
