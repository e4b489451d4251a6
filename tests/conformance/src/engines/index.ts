// The engine configurations the harness can run, by name. Executing tiers register here as
// they land (`baseline-x64`, `baseline-arm64`, …).
import type { EngineUnderTest } from '../engine.ts';
import { validateEngine } from './validate.ts';

export const ENGINES: ReadonlyMap<string, EngineUnderTest> = new Map([[validateEngine.name, validateEngine]]);
