// The kit runner as a program: `node kit-runner.cjs <backend>` runs the backend conformance kit
// for the registered backend of that name and prints its report as one JSON line. The runtime's
// test bundles this file (with every workspace package, from sources; koffi stays a require) to
// run it in a Node for the backend's ISA under that ISA's emulator.

import { backendNamed } from '../../src/native/backends.ts';
import { runKit } from './run-kit.ts';

const name = process.argv[2];
const backend = name === undefined ? undefined : backendNamed(name);
if (backend === undefined) {
  process.stderr.write(`usage: kit-runner <backend>; ${name ?? 'no backend'} is not registered\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(runKit(backend))}\n`);
