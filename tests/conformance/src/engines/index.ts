// The engine configurations the harness can run, by name, in the order a full run takes them:
// the decode-and-validate engine, then every tier × backend × (eager, lazy) of the runtime.
import type { EngineUnderTest } from '../engine.ts';
import { EXECUTING_ENGINES } from './executing.ts';
import { validateEngine } from './validate.ts';

export const ENGINES: ReadonlyMap<string, EngineUnderTest> = new Map([validateEngine, ...EXECUTING_ENGINES].map((engine) => [engine.name, engine]));
