export { CLIENTS, clientNamed } from './clients.ts';
export type { ClientSession, RealClient } from './client.ts';
export { clientChildMain } from './child.ts';
export type { ChildReport, FlintLoader } from './child.ts';
export { NODE_DEFAULT, NODE_LIFTOFF, NODE_TURBOFAN, flintEngine } from './engines.ts';
export type { ClientEngine } from './engines.ts';
export { runClientChild } from './spawn.ts';
export type { ChildOutcome, SpawnOptions } from './spawn.ts';
