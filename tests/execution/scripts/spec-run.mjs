#!/usr/bin/env node
// Runs the spec testsuite's .wast files on Flint through the execution-test runner, each file in
// a child process so that a crash in native code fails that file (with its signal) instead of
// the run. Bundles src/spec-child.ts with esbuild (resolving workspace packages to their
// sources) into .cache/, then runs files two at a time.
//   node tests/execution/scripts/spec-run.mjs [--suite <dir>] [--config <name>] [--filter <substring>] [--jobs <n>] [--json <out>]
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const repoRoot = join(packageRoot, '..', '..');
const { values: args } = parseArgs({
  options: {
    suite: { type: 'string', default: '/work/shared/spec-testsuite' },
    config: { type: 'string' },
    filter: { type: 'string', multiple: true },
    jobs: { type: 'string', default: '2' },
    json: { type: 'string' },
    timeout: { type: 'string', default: '120' },
  },
});

const require = createRequire(join(repoRoot, 'packages', 'runtime', 'package.json'));
const koffiPath = require.resolve('koffi');
const esbuild = await import(require.resolve('esbuild', { paths: [join(repoRoot, 'node_modules', '.pnpm', 'node_modules')] })).catch(async () =>
  import(join(repoRoot, 'node_modules', '.pnpm', 'esbuild@0.27.7', 'node_modules', 'esbuild', 'lib', 'main.js')),
);
const outfile = join(packageRoot, '.cache', 'spec-child.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await esbuild.build({
  entryPoints: [join(packageRoot, 'src', 'spec-child.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@flint/source'],
  outfile,
  logLevel: 'error',
  plugins: [{ name: 'koffi', setup: (b) => b.onResolve({ filter: /^koffi$/ }, () => ({ path: koffiPath, external: true })) }],
});

const files = readdirSync(args.suite)
  .filter((f) => f.endsWith('.wast'))
  .filter((f) => args.filter === undefined || args.filter.some((s) => f.includes(s)))
  .sort()
  .map((f) => join(args.suite, f));

function runOne(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--stack-size=984', outfile, file, args.config ?? ''], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), Number(args.timeout) * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const name = relative(args.suite, file);
      const line = out.trim().split('\n').pop();
      try {
        if (code === 0 && line) return resolve({ ...JSON.parse(line), file: name });
      } catch {}
      resolve({ file: name, passed: 0, failed: 1, skipped: 0, crashed: signal ?? `exit ${code}`, failures: [`crashed (${signal ?? `exit ${code}`}): ${err.trim().split('\n').slice(-3).join(' | ')}`], skips: {} });
    });
  });
}

const results = [];
let next = 0;
await Promise.all(
  Array.from({ length: Number(args.jobs) }, async () => {
    while (next < files.length) {
      const file = files[next++];
      const result = await runOne(file);
      results.push(result);
      process.stdout.write(`${result.failed === 0 ? 'ok  ' : 'FAIL'} ${result.file}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped${result.crashed ? ` (crashed: ${result.crashed})` : ''}\n`);
    }
  }),
);
results.sort((a, b) => a.file.localeCompare(b.file));
const total = (k) => results.reduce((n, r) => n + r[k], 0);
const skipReasons = new Map();
for (const r of results) for (const [reason, n] of Object.entries(r.skips)) skipReasons.set(reason, (skipReasons.get(reason) ?? 0) + n);
process.stdout.write(`\n${results.length} files (${results.filter((r) => r.failed === 0).length} clean, ${results.filter((r) => r.crashed).length} crashed): ${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped\n`);
for (const [reason, n] of [...skipReasons].sort((a, b) => b[1] - a[1]).slice(0, 15)) process.stdout.write(`  skip ${n}× ${reason}\n`);
if (args.json) writeFileSync(args.json, JSON.stringify(results, null, 2));
