// The part of Node's own WebAssembly JS API the reference runs use: the workspace compiles
// without the DOM library, which is where TypeScript declares it.
declare global {
  namespace WebAssembly {
    type Imports = Record<string, Record<string, unknown>>;
    class Module {
      constructor(bytes: ArrayBufferView | ArrayBuffer);
    }
    class Instance {
      constructor(module: Module, imports?: Imports);
      readonly exports: Record<string, unknown>;
    }
  }
}

export {};
