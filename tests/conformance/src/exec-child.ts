// The child process of an executing engine (spawned by child-pool.ts, natively or under qemu):
// reads one script per line on stdin (a JSON `ScriptFile`), runs it with run-execution.ts and
// writes its `FileResult` as one JSON line prefixed with RESULT_PREFIX, so that anything else
// the process prints is never mistaken for a result. Exits when stdin closes.
//
//   node --stack-size=984 dist/exec-child.cjs <engine name>
//
// Built by tsup into one CommonJS file for Node 18 (the arm64 sysroot's Node) in which every
// workspace package is inlined; only koffi stays a require(), resolved through NODE_PATH to the
// koffi build for the child's CPU (see child-pool.ts).
import { createInterface } from 'node:readline';
import { RESULT_PREFIX } from './child-protocol.ts';
import type { ScriptFile } from './discover.ts';
import { ENGINES } from './engines/index.ts';
import { runExecutionFile } from './run-execution.ts';

const engineName = process.argv[2] ?? '';
const engine = ENGINES.get(engineName);
if (engine?.execution === undefined) {
  process.stderr.write(`exec-child: '${engineName}' is not an executing engine\n`);
  process.exit(2);
}
const target = engine.execution;
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (line.trim() === '') return;
  const script = JSON.parse(line) as ScriptFile;
  const result = runExecutionFile(script, target);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
});
