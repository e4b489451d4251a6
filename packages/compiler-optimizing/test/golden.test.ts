// The golden files under test/golden/<suite>/: IR before and after each pass, and Wasm fixtures
// before and after translation (and the whole pipeline). The verifier runs on every output.
// Re-bless after an intended change: FLINT_BLESS=1 npx vitest run test/golden.test.ts

import { join } from 'node:path';
import { describe, it } from 'vitest';
import { Cfg } from '../src/analysis/cfg.ts';
import { OptimizingCompiler } from '../src/compiler.ts';
import type { ModuleInfo } from '../src/frontend/module-info.ts';
import type { IrFunction } from '../src/ir/function.ts';
import { parseFunction } from '../src/ir/parser.ts';
import { printFunction } from '../src/ir/printer.ts';
import { assertValid } from '../src/ir/verifier.ts';
import { BoundsCheckElimination } from '../src/passes/bounds-checks.ts';
import { fuseComparesWithBranches } from '../src/passes/compare-fusion.ts';
import { propagateCopies } from '../src/passes/copy-propagation.ts';
import { DeadCodeEliminator } from '../src/passes/dce.ts';
import { GlobalValueNumbering } from '../src/passes/gvn.ts';
import { LoopInvariantCodeMotion } from '../src/passes/licm.ts';
import { LoadElimination } from '../src/passes/load-elimination.ts';
import { PassPipeline } from '../src/passes/pipeline.ts';
import { IncomingEdges, eliminateRedundantBlockParams } from '../src/passes/redundant-params.ts';
import { removeUnreachableBlocks } from '../src/passes/remove-unreachable-blocks.ts';
import { Simplifier } from '../src/passes/simplify.ts';
import { splitCriticalEdges } from '../src/passes/split-edges.ts';
import { checkGolden, goldenCases } from './golden-harness.ts';
import { NO_ISA, TEST_CONVENTION } from './helpers.ts';
import { assembleFixture } from './wasm-fixture.ts';

const root = join(import.meta.dirname, 'golden');
const cfg = new Cfg();
/** A module whose memory 0 has one page (64 KiB), for the passes that ask. */
const ONE_PAGE = { memory0MinBytes: 65536 } as ModuleInfo;

type Pass = (fn: IrFunction) => void;
const PASSES: Record<string, Pass> = {
  'redundant-params': (fn) => void eliminateRedundantBlockParams(fn, new IncomingEdges()),
  unreachable: (fn) => void removeUnreachableBlocks(fn, cfg),
  'copy-prop': (fn) => void propagateCopies(fn),
  simplify: (fn) => void new Simplifier().run(fn, cfg),
  gvn: (fn) => void new GlobalValueNumbering().run(fn, cfg),
  licm: (fn) => void new LoopInvariantCodeMotion().run(fn, cfg),
  'load-elim': (fn) => void new LoadElimination().run(fn, cfg),
  bce: (fn) => void new BoundsCheckElimination().run(fn, cfg, ONE_PAGE),
  'compare-fusion': (fn) => void fuseComparesWithBranches(fn),
  dce: (fn) => void new DeadCodeEliminator().run(fn, new IncomingEdges()),
  'split-edges': (fn) => void splitCriticalEdges(fn, cfg),
};

describe.each(Object.entries(PASSES))('%s', (name, pass) => {
  const cases = goldenCases(join(root, name), '.ir');
  it('has golden files', () => {
    if (cases.length === 0) throw new Error(`no golden files in test/golden/${name}`);
  });
  it.each(cases)('$name', (c) => {
    const fn = parseFunction(c.input, TEST_CONVENTION);
    assertValid(fn, 'parsing', cfg);
    pass(fn);
    assertValid(fn, name, cfg);
    checkGolden(c, printFunction(fn));
  });
});

describe('translate', () => {
  it.each(goldenCases(join(root, 'translate'), '.wasm.txt'))('$name', (c) => {
    const { module } = assembleFixture(c.input);
    const fn = new OptimizingCompiler(NO_ISA).translate({ module, body: module.codes[0]! }, { inlining: false });
    assertValid(fn, 'translation', cfg);
    checkGolden(c, printFunction(fn));
  });
});

describe('pipeline', () => {
  it.each(goldenCases(join(root, 'pipeline'), '.wasm.txt'))('$name', (c) => {
    const { module } = assembleFixture(c.input);
    const compiler = new OptimizingCompiler(NO_ISA);
    const input = { module, body: module.codes[0]! };
    const fn = compiler.translate(input);
    const info = { module, cc: TEST_CONVENTION, memory0MinBytes: module.memories.length > 0 ? Number(module.memories[0]!.min) * 65536 : 0 } as unknown as ModuleInfo;
    new PassPipeline().run(fn, cfg, info, true, [], undefined);
    checkGolden(c, printFunction(fn));
  });
});
