// esbuild-wasm (Go compiled to Wasm, run by Go's wasm_exec.js): `transform` of a TypeScript and
// a TSX module, and a `build` that bundles modules served by a JS plugin — the engine runs Go's
// runtime (goroutines, garbage collector) and the Go↔JS calls of syscall/js in both directions.
//
// In Node, esbuild-wasm's main entry runs esbuild.wasm in a separate `node` process; its browser
// entry, with `worker: false`, runs it in this thread on the global `WebAssembly` — which is
// what replacing the global must reach, so that is the entry used here.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { installBrowserGlobals } from './browser-globals.ts';
import type { ClientSession, RealClient } from './client.ts';
import { packageDirectory, packageFile } from './package-files.ts';
import { TSX_SAMPLE, TYPESCRIPT_SAMPLE } from './samples.ts';

interface Plugin {
  name: string;
  setup(build: {
    onResolve(options: { filter: RegExp }, callback: (args: { path: string }) => { path: string; namespace?: string; external?: boolean }): void;
    onLoad(options: { filter: RegExp; namespace: string }, callback: (args: { path: string }) => { contents: string; loader: string }): void;
  }): void;
}

interface Esbuild {
  initialize(options: { wasmModule: object; worker: boolean }): Promise<void>;
  transform(source: string, options: object): Promise<{ code: string; warnings: unknown[] }>;
  build(options: Record<string, unknown> & { plugins: Plugin[] }): Promise<{ outputFiles: { text: string }[]; warnings: unknown[] }>;
}

/** The modules the build bundles, served from memory by a plugin (the browser build has no file system). */
const MODULES: Record<string, { contents: string; loader: string }> = {
  'app.ts': {
    loader: 'ts',
    contents: `import { Level, Logger, summarize, batches } from './logger';\nimport { range } from './util';\n` +
      `export async function main(): Promise<Record<string, number>> {\n  const logger = new Logger<number>(Level.Debug);\n  const seen: number[] = [];\n` +
      `  logger.use((entry) => { seen.push(entry.data ?? 0); });\n  for await (const batch of batches(range(40), 7)) await logger.log(Level.Info, 'batch', batch.length);\n` +
      `  return summarize(seen.map((n) => ({ level: n > 5 ? Level.Warn : Level.Info })));\n}\n`,
  },
  'logger.ts': { loader: 'ts', contents: TYPESCRIPT_SAMPLE },
  'util.ts': { loader: 'ts', contents: 'export function* range(n: number): Generator<number> {\n  for (let i = 0; i < n; i++) yield i;\n}\nexport const unused = () => "tree-shaken";\n' },
};

const memoryPlugin: Plugin = {
  name: 'memory',
  setup(build) {
    build.onResolve({ filter: /.*/ }, ({ path }) => {
      const name = `${path.replace(/^\.\//, '')}.ts`;
      return MODULES[name] !== undefined ? { path: name, namespace: 'memory' } : { path, external: true };
    });
    build.onLoad({ filter: /.*/, namespace: 'memory' }, ({ path }) => MODULES[path]!);
  },
};

async function load(): Promise<ClientSession> {
  const root = packageDirectory('esbuild-wasm');
  installBrowserGlobals(pathToFileURL(join(root, 'esm/browser.js')));
  const esbuild = (await import(pathToFileURL(join(root, 'esm/browser.js')).href)) as Esbuild;
  // `new WebAssembly.Module` on the global, as a page that passes `wasmModule` does.
  const { WebAssembly: namespace } = globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } };
  const wasmModule = new namespace.Module(packageFile('esbuild-wasm', 'esbuild.wasm'));
  await esbuild.initialize({ wasmModule, worker: false });
  return {
    async run() {
      const typescript = await esbuild.transform(TYPESCRIPT_SAMPLE, { loader: 'ts', target: 'es2019', format: 'cjs', sourcefile: 'logger.ts' });
      const tsx = await esbuild.transform(TSX_SAMPLE, { loader: 'tsx', minify: true, target: 'es2017', sourcefile: 'todo-list.tsx' });
      const bundle = await esbuild.build({
        entryPoints: ['./app'],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'neutral',
        minifySyntax: true,
        plugins: [memoryPlugin],
      });
      return {
        typescript: typescript.code,
        tsx: tsx.code,
        bundle: bundle.outputFiles.map((file) => file.text),
        warnings: [typescript.warnings, tsx.warnings, bundle.warnings],
      };
    },
  };
}

export const esbuildClient: RealClient = { name: 'esbuild', origin: 'Go (esbuild-wasm 0.28.2)', load };
