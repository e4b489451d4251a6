// The engine configurations the harness can run, by name, in the order a full run takes them.
import type { EngineUnderTest } from '../engine.ts';
import { baselineArm64, baselineX64, baselineX64Lazy, optimizingArm64, optimizingX64 } from './baseline.ts';
import { validateEngine } from './validate.ts';

export const ENGINES: ReadonlyMap<string, EngineUnderTest> = new Map(
  [validateEngine, baselineX64, baselineX64Lazy, baselineArm64, optimizingX64, optimizingArm64].map((engine) => [engine.name, engine]),
);
