// @swc/wasm (Rust compiled to Wasm, bound by wasm-bindgen): a TypeScript module transformed
// (types erased, legacy decorators, down-levelled to ES2015 CommonJS), a TSX module, and the
// minifier over the result — the engine runs swc's parser, transforms, code generator and the
// wasm-bindgen glue that passes strings and objects across the boundary.
import type { ClientSession, RealClient } from './client.ts';
import { requirePackage } from './package-files.ts';
import { TSX_SAMPLE, TYPESCRIPT_SAMPLE } from './samples.ts';

interface Swc {
  transformSync(source: string, options: object): { code: string };
  minifySync(source: string, options: object): { code: string };
}

async function load(): Promise<ClientSession> {
  // The Node build (wasm.js) compiles and instantiates its Wasm synchronously when required.
  const swc = requirePackage<Swc>('@swc/wasm');
  return {
    async run() {
      const transformed = swc.transformSync(TYPESCRIPT_SAMPLE, {
        filename: 'logger.ts',
        jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true }, target: 'es2015' },
        module: { type: 'commonjs' },
      }).code;
      const jsx = swc.transformSync(TSX_SAMPLE, {
        filename: 'todo-list.tsx',
        jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'classic' } }, target: 'es2020' },
      }).code;
      const minified = swc.minifySync(transformed, { compress: { passes: 2 }, mangle: true, module: false }).code;
      return { transformed, jsx, minified };
    },
  };
}

export const swcClient: RealClient = { name: 'swc', origin: 'Rust, wasm-bindgen (@swc/wasm 1.16.18)', load };
