// What the tools around the code generator need to know about one instruction-set architecture:
// which hosts run it natively, whether new code must be flushed to instruction fetch, how to
// disassemble it and how to run it under emulation on other hosts, and which sources decide the
// code it generates. Each `@flint/codegen-<isa>` package states this once, in its `isa.json`
// (read as data by scripts that run before any build, such as `.ci/run`) and exports it as its
// backend's `isa`; the runtime's backend registry, the CLI, the conformance harness, the
// code-cache key and CI derive everything ISA-specific from it, so adding an ISA touches nothing
// outside its package but one registry row.

export interface IsaDescriptor {
  /** Registry name, used in engine names, `--target` and code caches: `x64`, `arm64`. */
  readonly name: string;
  /** Node's `process.arch` of hosts that run this ISA's code natively. */
  readonly nodeArch: string;
  /**
   * `coherent`: instruction fetch sees data writes (x64 snoops them; the `mprotect` that makes
   * code executable serialises). `clear-cache`: the data cache must be cleaned and the
   * instruction cache invalidated over new code (libgcc's `__clear_cache`), as on arm64.
   */
  readonly instructionCache: 'coherent' | 'clear-cache';
  readonly disassembler: {
    /** GNU objdump programs to try, in order. */
    readonly programs: readonly string[];
    /** Arguments before the file name that disassemble raw binary code of this ISA. */
    readonly args: readonly string[];
    /** The Debian package that provides the first program. */
    readonly aptPackage: string;
    /** How a hex listing groups bytes without a disassembler: rows of bytes, or 32-bit words. */
    readonly hexListing: 'bytes' | 'words32';
  };
  /** How hosts of another architecture run this ISA's code (user-mode emulation), or null. */
  readonly emulator: IsaEmulator | null;
  /**
   * The environment variable that caps the optional CPU features this backend's code may use (a
   * comma list parsed by `Backend.cpuFeatures.applyCap`), and the value of it that means the ISA's
   * baseline, no optional feature (CI and the conformance harness run everything once more with
   * it); null when the ISA has no optional CPU feature.
   */
  readonly cpuFeatureCap: CpuFeatureCap | null;
  /**
   * Folders, relative to the codegen package, whose sources decide the machine code it emits
   * (hashed into the build id that keys code caches).
   */
  readonly codegenSources: readonly string[];
}

export interface CpuFeatureCap {
  /** `FLINT_X64_FEATURES`. */
  readonly variable: string;
  /** `sse2`. */
  readonly baseline: string;
}

export interface IsaEmulator {
  /** The user-mode emulator: `qemu-aarch64`. */
  readonly command: string;
  /** Debian packages that provide it. */
  readonly aptPackages: readonly string[];
  /** The host architectures (`process.arch`) it runs on. */
  readonly hostArchs: readonly string[];
  /**
   * Environment variable naming the cache folder that holds the emulated sysroot and koffi
   * (default `<repo>/.cache`).
   */
  readonly cacheEnv: string;
  /** Inside the cache: the sysroot passed as `-L`, holding Node at `<sysroot>/usr/bin/node`. */
  readonly sysroot: string;
  /** Inside the cache: the `node_modules` folder with a koffi built for this ISA. */
  readonly koffiModules: string;
  /** Scripts, relative to the codegen package, that build the cache (run in order, idempotent). */
  readonly setupScripts: readonly string[];
}
