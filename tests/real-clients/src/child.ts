// The child process one (client, engine) runs in:
//   node [V8 flags] <child script> <client> <node|flint> [runs]
// With `flint`, Flint's namespace replaces `globalThis.WebAssembly` before the library is
// imported, as a user replacing the built-in one would; nothing reaches the library any other
// way. Prints one JSON line (ChildReport) last on stdout. A process per run keeps the replaced
// global, and V8's per-process flags, away from everything else.
import { clientNamed } from './clients.ts';

export interface ChildReport {
  readonly client: string;
  readonly engine: 'node' | 'flint';
  /** Which namespace was the global when the workload finished. */
  readonly namespace: 'node' | 'flint' | 'other';
  /** Milliseconds from importing the library to its being ready (compile, instantiate, setup). */
  readonly loadMs: number;
  /** Milliseconds of each run of the workload. */
  readonly runMs: readonly number[];
  /** What the first run computed (every later run must compute the same). */
  readonly result: unknown;
}

/** Loads Flint's namespace (the bundle that runs this decides from where). */
export type FlintLoader = () => Promise<{ readonly WebAssembly: object }>;

export async function clientChildMain(loadFlint: FlintLoader, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const [clientName, engine, runsText = '1'] = argv;
  if (clientName === undefined || (engine !== 'node' && engine !== 'flint')) throw new Error('usage: child <client> <node|flint> [runs]');
  const client = clientNamed(clientName);
  const runs = Number(runsText);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, got ${runsText}`);
  const global = globalThis as unknown as Record<string, unknown>;
  const nodeNamespace = global['WebAssembly'];
  let flintNamespace: object | undefined;
  if (engine === 'flint') {
    flintNamespace = (await loadFlint()).WebAssembly;
    global['WebAssembly'] = flintNamespace;
  }
  const started = performance.now();
  const session = await client.load();
  const loadMs = performance.now() - started;
  const runMs: number[] = [];
  let result: unknown;
  for (let i = 0; i < runs; i++) {
    const runStarted = performance.now();
    const value = await session.run();
    runMs.push(performance.now() - runStarted);
    if (i === 0) result = value;
    else if (JSON.stringify(value) !== JSON.stringify(result)) throw new Error(`${client.name}: run ${i + 1} computed something else than run 1`);
  }
  const current = global['WebAssembly'];
  const namespace = current === nodeNamespace ? 'node' : current === flintNamespace ? 'flint' : 'other';
  const report: ChildReport = { client: client.name, engine, namespace, loadMs, runMs, result };
  // Exit once the line is out: a library's timers or idle compile workers must not keep the
  // process alive (esbuild's Go runtime keeps its event loop waiting for more requests).
  process.stdout.write(`\n${JSON.stringify(report)}\n`, () => process.exit(0));
}
