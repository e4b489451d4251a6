// What a real client is to the harness: a library from npm with Wasm inside, loaded as its users
// load it (through whatever `globalThis.WebAssembly` is when it loads), and a workload whose
// result is plain data, so two engines' runs can be compared as JSON.

/** A loaded library, ready to run its workload any number of times. */
export interface ClientSession {
  /** Runs the workload once; the result is JSON-serializable and the same on every run. */
  run(): Promise<unknown>;
}

export interface RealClient {
  readonly name: string;
  /** The toolchain that produced the Wasm and the npm package it ships in. */
  readonly origin: string;
  /** Imports the library and initializes it (compile, instantiate, the library's own setup). */
  load(): Promise<ClientSession>;
}
