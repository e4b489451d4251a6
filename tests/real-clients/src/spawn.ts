// The parent's side: runs a child script for one (client, engine) and reads its report.
import { spawnSync } from 'node:child_process';
import type { ChildReport } from './child.ts';
import type { ClientEngine } from './engines.ts';

export type ChildOutcome = { readonly ok: true; readonly report: ChildReport } | { readonly ok: false; readonly error: string };

export interface SpawnOptions {
  readonly runs?: number;
  readonly timeoutMs?: number;
}

export function runClientChild(script: string, client: string, engine: ClientEngine, options: SpawnOptions = {}): ChildOutcome {
  const result = spawnSync(process.execPath, [...engine.nodeFlags, script, client, engine.kind, String(options.runs ?? 1)], {
    encoding: 'utf8',
    env: { ...process.env, ...engine.env },
    maxBuffer: 1 << 26,
    timeout: options.timeoutMs ?? 600_000,
  });
  const lastLine = result.stdout?.trimEnd().split('\n').at(-1) ?? '';
  if (result.status === 0 && lastLine.startsWith('{')) return { ok: true, report: JSON.parse(lastLine) as ChildReport };
  const why = result.error?.message ?? (result.signal !== null ? `signal ${result.signal}` : `exit code ${String(result.status)}`);
  const stderr = result.stderr?.trim().split('\n').slice(0, 20).join('\n') ?? '';
  return { ok: false, error: `${client} on ${engine.label}: ${why}${stderr === '' ? '' : `\n${stderr}`}` };
}
