// A worker of `cli.js --jobs N`: runs its share of the scripts against one engine and posts the
// results back. Results are plain data, so they cross the thread boundary by structured clone.
import { parentPort, workerData } from 'node:worker_threads';
import { parseWat } from '@flint/text';
import type { ScriptFile } from './discover.ts';
import { ENGINES } from './engines/index.ts';
import { runFile } from './run.ts';

export interface WorkerTask {
  readonly engine: string;
  readonly scripts: readonly ScriptFile[];
}

const task = workerData as WorkerTask;
const engine = ENGINES.get(task.engine);
if (engine === undefined) throw new Error(`worker: unknown engine '${task.engine}'`);
parentPort!.postMessage(task.scripts.map((script) => runFile(script, engine, { parseWat })));
