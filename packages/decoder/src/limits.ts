// Implementation limits, enforced while decoding. The values are the JS API's (the web's common
// limits, which started as V8's `wasm-limits.h`), so a module Flint rejects for size is one
// browsers reject too. Each bound stops a hostile count from costing memory or time before the
// bytes it describes have been seen.
// Spec: https://webassembly.github.io/spec/js-api/#limits

export const ImplementationLimits = {
  /** Types in the type section, counting every member of every recursion group. */
  maxTypes: 1_000_000,
  /** Functions, imported and defined. */
  maxFunctions: 1_000_000,
  maxImports: 1_000_000,
  maxExports: 1_000_000,
  /** Globals, imported and defined. */
  maxGlobals: 1_000_000,
  /** Tags, imported and defined. */
  maxTags: 1_000_000,
  /** Tables, imported and defined. */
  maxTables: 100_000,
  /** Memories, imported and defined. */
  maxMemories: 100,
  maxDataSegments: 100_000,
  maxElementSegments: 10_000_000,
  /**
   * Initial size of a table, in elements (the JS API bound). Enforced by the runtime when it
   * allocates a table, not here: the core spec accepts modules that declare larger limits.
   */
  maxTableSize: 10_000_000,
  /** Entries of one element segment. */
  maxElementSegmentSize: 10_000_000,
  /** Bytes of one function body, including its local declarations. */
  maxFunctionSize: 7_654_321,
  /** Locals of one function, its parameters included. */
  maxLocals: 50_000,
  maxParams: 1_000,
  maxReturns: 1_000,
  /** Targets of one br_table, the default excluded. */
  maxBrTableSize: 65_520,
  maxStructFields: 10_000,
  /** Members of one recursion group. */
  maxRecGroupSize: 1_000_000,
  /** Bytes of a whole module (1 GiB), so offsets stay exact small integers. */
  maxModuleSize: 1024 * 1024 * 1024,
} as const;
