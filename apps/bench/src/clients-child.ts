// The child process of the client benchmark (clients-bench.ts): one library on one engine.
// Flint's namespace comes from the runtime's own build (a computed import: the runtime loads a
// native addon that resolves only from its package), as users get it.
import { clientChildMain, type FlintLoader } from '@flint/real-clients';

const loadFlint: FlintLoader = async () => {
  const specifier = '@flint/runtime';
  return (await import(specifier)) as { WebAssembly: object };
};

clientChildMain(loadFlint).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(3);
});
