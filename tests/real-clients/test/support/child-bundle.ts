// The child script, bundled from TypeScript sources (a child Node cannot load .ts files) with the
// runtime's sources inside it, so the tests need no `pnpm build`. It is written under this
// package's node_modules, so that the libraries (left external) resolve from there as they do
// for any user, with koffi — the runtime's native addon, also external — linked beside it.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
const requireHere = createRequire(join(packageRoot, 'package.json'));

interface Esbuild {
  buildSync(options: Record<string, unknown>): unknown;
}

/** Libraries the child imports at run time, from their installed packages. */
const LIBRARIES = ['@sqlite.org/sqlite-wasm', '@swc/wasm', 'esbuild-wasm'];

const COMMON = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@flint/source'],
  external: ['koffi', ...LIBRARIES],
  // The JS API's constructors and functions are observable by name, as in the runtime's build.
  keepNames: true,
  logLevel: 'error',
};

export interface ChildBundle {
  readonly script: string;
  remove(): void;
}

export function bundleChild(): ChildBundle {
  // esbuild comes with tsup, the workspace's build tool.
  const esbuild = createRequire(createRequire(join(packageRoot, '../../package.json')).resolve('tsup'))('esbuild') as Esbuild;
  mkdirSync(join(packageRoot, 'node_modules'), { recursive: true });
  const dir = mkdtempSync(join(packageRoot, 'node_modules', '.flint-real-clients-'));
  const runtimeRoot = dirname(requireHere.resolve('@flint/runtime/package.json'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(realpathSync(join(runtimeRoot, 'node_modules/koffi')), join(dir, 'node_modules/koffi'));
  const entry = join(dir, 'child.src.ts');
  writeFileSync(
    entry,
    `import { clientChildMain } from ${JSON.stringify(join(packageRoot, 'src/child.ts'))};\n` +
      `clientChildMain(() => import('@flint/runtime')).catch((error) => {\n` +
      `  process.stderr.write(String(error instanceof Error ? (error.stack ?? error.message) : error) + '\\n');\n` +
      `  process.exit(3);\n});\n`,
  );
  const script = join(dir, 'child.mjs');
  // The runtime's compile worker beside the bundle, where the built runtime has it: the engine
  // finds it there (compile-pool.ts) and compiles `WebAssembly.compile`/`instantiate` on worker
  // threads, as users' processes do. `.js` is ESM by the package.json written here.
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  esbuild.buildSync({
    ...COMMON,
    entryPoints: [join(runtimeRoot, 'src/compile/compile-worker.ts')],
    outfile: join(dir, 'compile-worker.js'),
  });
  esbuild.buildSync({
    ...COMMON,
    entryPoints: [entry],
    outfile: script,
  });
  return { script, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
