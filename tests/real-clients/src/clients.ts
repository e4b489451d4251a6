// The clients, one row each: adding a library here adds it to the tests and the benchmark.
import type { RealClient } from './client.ts';
import { esbuildClient } from './esbuild.ts';
import { sqliteClient } from './sqlite.ts';
import { swcClient } from './swc.ts';

export const CLIENTS: readonly RealClient[] = [sqliteClient, swcClient, esbuildClient];

export function clientNamed(name: string): RealClient {
  const client = CLIENTS.find((c) => c.name === name);
  if (client === undefined) throw new Error(`unknown client "${name}" (known: ${CLIENTS.map((c) => c.name).join(', ')})`);
  return client;
}
