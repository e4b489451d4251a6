// `pnpm conformance`: runs the testsuite against each engine configuration, writes
// conformance/report.json and conformance/report.md, and checks the ratchet.
//
//   node tests/conformance/dist/cli.js [--engine <name>]… [--filter <glob>]… [--update|--bless]
//                                      [--jobs <n>] [--timeout <s>] [--testsuite <dir>] [--report-dir <dir>]
//
// Exit status: 0 when no assertion in tests/conformance/expected/<engine>.json regressed,
// 1 when one did (they are printed), 2 on a usage error.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { parseWat } from '@flint/text';
import { runInChildPool } from './child-pool.ts';
import { ChildSetupError, cannotRunReason, childSpecFor, runsNatively } from './child-spec.ts';
import type { ScriptFile } from './discover.ts';
import { discoverScripts } from './discover.ts';
import type { EngineUnderTest } from './engine.ts';
import { ENGINES } from './engines/index.ts';
import { blessExpected, findRegressions, parseExpected, serializeExpected } from './ratchet.ts';
import type { Regression } from './ratchet.ts';
import type { EngineRun } from './report.ts';
import { buildJsonReport, renderMarkdown } from './report.ts';
import type { FileResult } from './results.ts';
import { totalsOf } from './results.ts';
import { runFile } from './run.ts';

// Both src/cli.ts and dist/cli.js sit two levels below the package root, three below the repo root.
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(packageRoot, '../..');
const DEFAULT_TESTSUITE = process.env['FLINT_TESTSUITE'] ?? '/work/shared/spec-testsuite';

async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        engine: { type: 'string', multiple: true },
        filter: { type: 'string', multiple: true },
        update: { type: 'boolean', default: false },
        bless: { type: 'boolean', default: false },
        jobs: { type: 'string' },
        timeout: { type: 'string' },
        testsuite: { type: 'string', default: DEFAULT_TESTSUITE },
        'report-dir': { type: 'string', default: join(repoRoot, 'conformance') },
        all: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`conformance: ${(error as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write('usage: cli.js [--engine <name>]… [--all] [--filter <glob>]… [--update|--bless] [--jobs <n>] [--timeout <s>] [--testsuite <dir>] [--report-dir <dir>]\n');
    return 0;
  }
  // Without --engine: every engine this machine can run (an emulated backend needs its emulator
  // and sysroot); with --all, every engine, and a missing setup is an error.
  let engineNames = args.engine;
  if (engineNames === undefined) {
    engineNames = [];
    for (const engine of ENGINES.values()) {
      const reason = engine.execution === undefined || args.all === true ? null : cannotRunReason(engine.execution.backend, repoRoot);
      if (reason === null) engineNames.push(engine.name);
      else process.stdout.write(`${engine.name}: not run (${reason}; or pass --engine ${engine.name} or --all)\n`);
    }
  }
  const engines = [];
  for (const name of engineNames) {
    const engine = ENGINES.get(name);
    if (engine === undefined) {
      process.stderr.write(`conformance: unknown engine '${name}' (known: ${[...ENGINES.keys()].join(', ')})\n`);
      return 2;
    }
    engines.push(engine);
  }
  const testsuite = resolve(args.testsuite!);
  if (!existsSync(testsuite)) {
    process.stderr.write(`conformance: testsuite not found at ${testsuite} (set --testsuite or FLINT_TESTSUITE)\n`);
    return 2;
  }
  const filters = args.filter ?? [];
  const scripts = discoverScripts(testsuite, filters);
  const bless = args.update === true || args.bless === true;
  const jobs = args.jobs !== undefined ? Number(args.jobs) : defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) {
    process.stderr.write(`conformance: --jobs takes a positive integer, got '${args.jobs}'\n`);
    return 2;
  }
  const timeoutSeconds = args.timeout !== undefined ? Number(args.timeout) : null;
  if (timeoutSeconds !== null && !(timeoutSeconds > 0)) {
    process.stderr.write(`conformance: --timeout takes a positive number of seconds, got '${args.timeout}'\n`);
    return 2;
  }

  const runs: EngineRun[] = [];
  const missingRatchets: string[] = [];
  const regressions = new Map<string, Regression[]>();
  for (const engine of engines) {
    const started = Date.now();
    let results: FileResult[];
    try {
      results = engine.execution !== undefined ? await runExecuting(scripts, engine, jobs, timeoutSeconds) : await runScripts(scripts, engine, jobs);
    } catch (error) {
      if (!(error instanceof ChildSetupError)) throw error;
      process.stderr.write(`conformance: ${error.message}\n`);
      return 2;
    }
    const totals = totalsOf(results);
    process.stdout.write(
      `${engine.name}: ${scripts.length} files, ${totals.passed} passed, ${totals.failed} failed (${totals.failedByParser} by the text parser), ${totals.skipped} skipped, ` +
        `${totals.scriptParseFailures} script parse failures (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
    runs.push({ engine: engine.name, results });

    const expectedPath = join(packageRoot, 'expected', `${engine.name}.json`);
    const previous = existsSync(expectedPath) ? parseExpected(readFileSync(expectedPath, 'utf8'), expectedPath) : null;
    if (bless) {
      mkdirSync(dirname(expectedPath), { recursive: true });
      writeFileSync(expectedPath, serializeExpected(blessExpected(previous, engine.name, results)));
      process.stdout.write(`${engine.name}: blessed ${expectedPath}\n`);
    } else if (previous !== null) {
      regressions.set(engine.name, findRegressions(previous, results));
    } else if (args.all === true) {
      // A full run (CI) must compare every engine with its ratchet: a new engine is blessed in a commit.
      missingRatchets.push(expectedPath);
    } else {
      process.stdout.write(`${engine.name}: no ratchet file yet; run with --update to create ${expectedPath}\n`);
    }
  }

  // A filtered run, or one of chosen engines, reports only part of the suite: it does not
  // overwrite the full report.
  if (filters.length === 0 && args.engine === undefined) {
    const reportDir = resolve(args['report-dir']!);
    mkdirSync(reportDir, { recursive: true });
    const report = buildJsonReport(testsuiteLabel(testsuite), runs);
    writeFileSync(join(reportDir, 'report.json'), JSON.stringify(report, null, 1) + '\n');
    writeFileSync(join(reportDir, 'report.md'), renderMarkdown(report) + '\n');
    process.stdout.write(`report: ${join(reportDir, 'report.json')}, ${join(reportDir, 'report.md')}\n`);
  } else {
    for (const run of runs) {
      const failures = run.results.flatMap((result) => result.failures);
      for (const f of failures.slice(0, PRINTED_FAILURES)) process.stdout.write(`  FAIL ${f.file}:${f.line} ${f.kind} (${f.cause}): expected ${f.expected}; got ${f.actual}\n`);
      if (failures.length > PRINTED_FAILURES) process.stdout.write(`  … and ${failures.length - PRINTED_FAILURES} more failures of ${run.engine}\n`);
    }
  }

  if (missingRatchets.length > 0) {
    process.stderr.write(`conformance: --all needs a ratchet file per engine; missing: ${missingRatchets.join(', ')} (run with --update and commit them)\n`);
    return 1;
  }
  let regressed = 0;
  for (const [engine, list] of regressions) {
    if (list.length === 0) continue;
    regressed += list.length;
    process.stderr.write(`${engine}: ${list.length} assertion(s) passed before and do not pass now:\n`);
    for (const r of list) process.stderr.write(`  ${r.file}:${r.line}\n`);
  }
  if (regressed > 0) {
    process.stderr.write('Fix them, or if the change is intended, run `pnpm conformance --update` and commit the expected file.\n');
    return 1;
  }
  return 0;
}

/** The testsuite as the report names it: its path and, when present, the snapshot line of its SOURCE.txt. */
function testsuiteLabel(testsuite: string): string {
  const sourceFile = join(testsuite, 'SOURCE.txt');
  const snapshot = existsSync(sourceFile) ? readFileSync(sourceFile, 'utf8').split('\n')[0]!.trim() : '';
  return snapshot !== '' ? `${testsuite} — ${snapshot}` : testsuite;
}

/** Failures printed per engine by a filtered run (which writes no report). */
const PRINTED_FAILURES = 100;

/** One job per core, at most 8. */
const defaultJobs = (): number => Math.max(1, Math.min(8, cpus().length));

/**
 * Per-script time limits (seconds): generous, since they only catch a hang; emulation runs the
 * same code some 10-30 times slower.
 */
const NATIVE_TIMEOUT = 300;
const EMULATED_TIMEOUT = 1800;

/** Runs an executing engine's scripts in child processes (child-pool.ts), printing progress. */
async function runExecuting(scripts: readonly ScriptFile[], engine: EngineUnderTest, jobs: number, timeoutSeconds: number | null): Promise<FileResult[]> {
  const target = engine.execution!;
  const spec = childSpecFor(engine.name, target, { repoRoot, childScript: join(packageRoot, 'dist', 'exec-child.cjs') });
  const emulated = !runsNatively(target);
  const timeoutMs = (timeoutSeconds ?? (emulated ? EMULATED_TIMEOUT : NATIVE_TIMEOUT)) * 1000;
  const started = Date.now();
  const step = Math.max(1, Math.ceil(scripts.length / 10));
  return runInChildPool(scripts, spec, {
    jobs,
    timeoutMs,
    onResult: (result, done, total) => {
      const crashed = result.failures.find((f) => f.line === 0);
      if (crashed !== undefined) process.stdout.write(`${engine.name}: ${result.file}: ${crashed.actual}\n`);
      if (done % step === 0 || done === total) process.stdout.write(`${engine.name}: ${done}/${total} files (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    },
  });
}

/**
 * Runs the scripts in this thread, or split over `jobs` workers when running from the build
 * (workers load `worker.js`, which exists only there). Results come back in discovery order.
 */
async function runScripts(scripts: readonly ScriptFile[], engine: EngineUnderTest, jobs: number): Promise<FileResult[]> {
  const workerUrl = new URL('./worker.js', import.meta.url);
  if (jobs === 1 || scripts.length < 2 || !existsSync(fileURLToPath(workerUrl))) {
    return scripts.map((script) => runFile(script, engine, { parseWat }));
  }
  // Largest files first, each to the least loaded worker, to balance the parse time.
  const shares: ScriptFile[][] = Array.from({ length: Math.min(jobs, scripts.length) }, () => []);
  const load = new Array<number>(shares.length).fill(0);
  const bySize = scripts.map((script) => ({ script, size: statSync(script.absolutePath).size })).sort((a, b) => b.size - a.size);
  for (const { script, size } of bySize) {
    const least = load.indexOf(Math.min(...load));
    shares[least]!.push(script);
    load[least]! += size;
  }
  const parts = await Promise.all(
    shares.map(
      (share) =>
        new Promise<FileResult[]>((resolvePart, reject) => {
          const worker = new Worker(workerUrl, { workerData: { engine: engine.name, scripts: share } });
          worker.once('message', resolvePart);
          worker.once('error', reject);
          worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`conformance worker exited with status ${code}`));
          });
        }),
    ),
  );
  const byFile = new Map(parts.flat().map((result) => [result.file, result]));
  return scripts.map((script) => byFile.get(script.file)!);
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`conformance: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
