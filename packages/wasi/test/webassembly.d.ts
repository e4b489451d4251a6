// The part of the WebAssembly JS API the tests use. The workspace compiles without the DOM
// library (which is where TypeScript declares these), and the package's source needs none of
// it: it only asks for `{ exports: { memory: { buffer } } }`.
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
    class Memory {
      constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
      readonly buffer: ArrayBuffer;
      grow(delta: number): number;
    }
  }
}

export {};
