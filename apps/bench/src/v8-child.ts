// One V8 configuration of the execution suite. run-bench.ts starts this file (built to dist/) in a
// child Node process whose V8 flags pick the tier (Liftoff only, or TurboFan only), since the
// tier is fixed per process; it prints one JSON line (a SuiteResult) on stdout.
// Usage: node <v8 flags> dist/v8-child.js [--quick] [--only=crc32,fib]
import { parseSuiteOptions, runSuite } from './kernels.ts';

const result = runSuite(WebAssembly, (bytes) => new WebAssembly.Module(bytes), parseSuiteOptions(process.argv.slice(2)));
process.stdout.write(`${JSON.stringify(result)}\n`);
