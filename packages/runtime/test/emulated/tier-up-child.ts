// Runs the dynamic-tiering scenario on this process's CPU through the public API and prints what
// it saw as one JSON line: results through every way into `f` before and after its tier-up,
// whether its baseline code ran after the install (its budget moved), the tiers of its code
// objects and the tier-up count. Bundled by tier-up-arm64.test.ts and run natively and under
// qemu-aarch64; both must print the same.
import { Engine, WebAssembly } from '@flint/runtime';
import { F, WAYS, moduleA, moduleB } from '../helpers/tier-up-modules.ts';

type Fn = (x: number) => number;

async function scenario(budget: number, lazy: boolean): Promise<unknown> {
  const engine = new Engine({ compileWorkers: 0, tierUpBudget: budget });
  const compiled = engine.compile(moduleA(), { tier: 'tiered', lazy });
  const a = new WebAssembly.Instance(WebAssembly.Module.fromCompiled(compiled), {}).exports as Record<string, Fn>;
  const b = new WebAssembly.Instance(WebAssembly.Module.fromCompiled(engine.compile(moduleB(), { tier: 'tiered' })), { a: { f: a['f'] } }).exports as Record<string, Fn>;
  const ways: Record<string, Fn> = { export: a['f']!, direct: a['direct']!, indirect: a['indirect']!, import: b['viaImport']! };
  const inputs = [0, 5, -9, 0x7fffffff];
  const run = () => WAYS.flatMap((way) => inputs.map((x) => ways[way]!(x)));
  const tiering = compiled.tiering!;
  const before = run();
  let calls = 0;
  while (engine.pendingTierUps === 0 && !tiering.isOptimized(F) && calls < 100_000) ways[WAYS[calls++ % 4]!]!(calls);
  await engine.whenTierUpsIdle();
  const budget0 = tiering.budget(F);
  const after = run();
  const tiers = engine
    .codeObjects()
    .filter((code) => code.kind === 'wasm-function' && code.funcIndex === F && code.script === compiled.script)
    .map((code) => code.tier)
    .sort();
  return { budget, lazy, before, after, optimized: tiering.isOptimized(F), baselineRanAfter: tiering.budget(F) !== budget0, tiers, tierUps: engine.compileStats().tiers['optimizing']!.tierUps };
}

async function main(): Promise<void> {
  const results: unknown[] = [];
  for (const budget of [0, 3_000]) for (const lazy of [false, true]) results.push(await scenario(budget, lazy));
  console.log(JSON.stringify({ arch: process.arch, results }));
}

// A CommonJS bundle (Node 18's sysroot): no top-level await.
void main();
