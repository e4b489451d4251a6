// The stack benchmark: how deep Wasm recursion goes before the engine reports stack exhaustion, in
// Node's own WebAssembly (V8) and in Flint, side by side in one process — for a trivial recursive
// function, and for Wasm→JS→Wasm re-entry (each level a Wasm function calling a JS import that
// calls the Wasm function again). Flint runs with its default stack size and with the stack sizes
// given by `--stack <bytes>` (repeatable). Prints a Markdown table of depths.
//
// Usage: pnpm --filter @flint/bench bench:stack  [-- --stack 524288 --stack 8388608]
import { ExternKind, ValType } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';

interface Namespace {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

/**
 * (global $depth (mut i32) (i32.const 0))
 * (func $recurse (global.set $depth (i32.add (global.get $depth) (i32.const 1))) (call $recurse))
 * (func $reenter (call $js))                ;; $js calls $reenter again
 * (func $depth (result i32) (global.get $depth))
 */
function stackModule(): Uint8Array {
  const b = new ModuleBuilder();
  const unit = b.addType({ params: [], results: [] });
  const getter = b.addType({ params: [], results: [ValType.I32] });
  const js = b.addImport('env', 'js', { func: unit });
  const depth = b.addGlobal({ type: ValType.I32, mutable: true }, [...op('i32.const', 0)]);
  const recurse = js + 1;
  b.addFunction(unit, [], [...op('global.get', depth), ...op('i32.const', 1), ...op('i32.add'), ...op('global.set', depth), ...op('call', recurse), ...op('end')]);
  const reenter = b.addFunction(unit, [], [...op('call', js), ...op('end')]);
  const read = b.addFunction(getter, [], [...op('global.get', depth), ...op('end')]);
  b.addExport('recurse', ExternKind.Func, recurse).addExport('reenter', ExternKind.Func, reenter).addExport('depth', ExternKind.Func, read);
  return b.toBytes();
}

interface Depths {
  readonly recursion: number | string;
  readonly reentry: number | string;
}

function measureDepths(wasm: Namespace): Depths {
  const bytes = stackModule();
  let levels = 0;
  let exports: Record<string, unknown> = {};
  const instance = new wasm.Instance(new wasm.Module(bytes), {
    env: {
      js: () => {
        levels++;
        (exports['reenter'] as () => void)();
      },
    },
  });
  exports = instance.exports;
  const failure = (error: unknown) => `${(error as Error).name}: ${(error as Error).message}`;
  let recursionError = '';
  try {
    (exports['recurse'] as () => void)();
  } catch (error) {
    recursionError = failure(error);
  }
  const recursion = (exports['depth'] as () => number)();
  let reentryError = '';
  try {
    (exports['reenter'] as () => void)();
  } catch (error) {
    reentryError = failure(error);
  }
  if (!/stack/i.test(recursionError)) return { recursion: `unexpected: ${recursionError}`, reentry: levels };
  if (!/stack/i.test(reentryError)) return { recursion, reentry: `unexpected: ${reentryError}` };
  return { recursion, reentry: levels };
}

interface FlintRuntime {
  readonly WebAssembly: Namespace;
  readonly Engine: new () => { readonly store: { setLimits(limits: { wasmStackBytes?: number }): void; readonly limits: { readonly wasmStackBytes: number } } };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sizes: number[] = [];
  for (let i = 0; i < args.length; i++) if (args[i] === '--stack') sizes.push(Number(args[++i]));
  const v8 = measureDepths(globalThis.WebAssembly as unknown as Namespace);
  // A computed specifier: the runtime loads koffi, which resolves only from the runtime's package.
  const specifier = '@flint/runtime';
  const flint = (await import(specifier)) as FlintRuntime;
  const engine = new flint.Engine();
  const rows: [string, Depths][] = [['V8 (Node ' + process.version + ')', v8]];
  rows.push([`Flint, default stack (${engine.store.limits.wasmStackBytes} bytes)`, measureDepths(flint.WebAssembly)]);
  const defaultBytes = engine.store.limits.wasmStackBytes;
  for (const bytes of sizes) {
    engine.store.setLimits({ wasmStackBytes: bytes });
    rows.push([`Flint, wasmStackBytes ${bytes}`, measureDepths(flint.WebAssembly)]);
  }
  engine.store.setLimits({ wasmStackBytes: defaultBytes });
  console.log('| engine | trivial recursion (frames) | Wasm→JS→Wasm re-entry (levels) |');
  console.log('|---|---:|---:|');
  for (const [name, depths] of rows) console.log(`| ${name} | ${depths.recursion} | ${depths.reentry} |`);
}

await main();
