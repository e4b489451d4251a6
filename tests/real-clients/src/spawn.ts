// The parent's side: runs a child script for one (client, engine) and reads its report. The
// child runs asynchronously: a test runner's worker must keep answering its own RPC while a
// child compiles for a minute.
import { spawn } from 'node:child_process';
import type { ChildReport } from './child.ts';
import type { ClientEngine } from './engines.ts';

export type ChildOutcome = { readonly ok: true; readonly report: ChildReport } | { readonly ok: false; readonly error: string };

export interface SpawnOptions {
  readonly runs?: number;
  readonly timeoutMs?: number;
}

export function runClientChild(script: string, client: string, engine: ClientEngine, options: SpawnOptions = {}): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...engine.nodeFlags, script, client, engine.kind, String(options.runs ?? 1)], {
      env: { ...process.env, ...engine.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 600_000,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (error) => resolve({ ok: false, error: `${client} on ${engine.label}: ${error.message}` }));
    child.once('close', (code, signal) => {
      const lastLine = Buffer.concat(stdout).toString('utf8').trimEnd().split('\n').at(-1) ?? '';
      if (code === 0 && lastLine.startsWith('{')) {
        resolve({ ok: true, report: JSON.parse(lastLine) as ChildReport });
        return;
      }
      const why = signal !== null ? `signal ${signal}` : `exit code ${String(code)}`;
      const text = Buffer.concat(stderr).toString('utf8').trim().split('\n').slice(0, 20).join('\n');
      resolve({ ok: false, error: `${client} on ${engine.label}: ${why}${text === '' ? '' : `\n${text}`}` });
    });
  });
}
