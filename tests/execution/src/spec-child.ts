// One `.wast` file of the spec testsuite on one configuration, in its own process (spawned by
// scripts/spec-run.mjs): a crash in native code then fails that file only. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { parseWast } from '@flint/text';
import { ENGINE_CONFIGS } from './configs.ts';
import { WastRunner } from './wast-runner.ts';

const [file, configName] = process.argv.slice(2);
const config = ENGINE_CONFIGS.find((c) => c.name === configName) ?? ENGINE_CONFIGS[0]!;
let summary: object;
try {
  const script = parseWast(readFileSync(file!, 'utf8'), file);
  const outcomes = new WastRunner(config).run(script);
  const count = (status: string): number => outcomes.filter((o) => o.status === status).length;
  const skips = new Map<string, number>();
  for (const o of outcomes) if (o.status === 'skip') skips.set(o.message, (skips.get(o.message) ?? 0) + 1);
  summary = {
    file,
    passed: count('pass'),
    failed: count('fail'),
    skipped: count('skip'),
    failures: outcomes.filter((o) => o.status === 'fail').slice(0, 20).map((o) => `${o.line} ${o.command}: ${o.message.slice(0, 200)}`),
    skips: Object.fromEntries(skips),
  };
} catch (error) {
  summary = { file, passed: 0, failed: 1, skipped: 0, failures: [`script: ${error instanceof Error ? error.message : String(error)}`], skips: {} };
}
process.stdout.write(`${JSON.stringify(summary)}\n`);
