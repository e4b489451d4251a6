// The Linux perf map: `/tmp/perf-<pid>.map`, one line per code object, `<hex address> <hex size>
// <name>`, which `perf report` reads to name samples in JIT code (tools/perf/Documentation/
// jit-interface.txt in the Linux tree). Flint's lines name Wasm functions as V8 does, with the
// tier: `7f3a5c001040 1a0 wasm-function[3] fib [baseline]`.
//
// Lines are appended as code is placed; freed code keeps its line (the format has no removal;
// perf keys samples by address and time of the report, so an address reused later for other code
// is shown under the newest name). One file per process, shared by every store that logs to it.

import { openSync, writeSync } from 'node:fs';
import type { CodeEvent, CodeMap } from './code-map.ts';

/** Where perf looks for the map of process `pid`. */
export function perfMapPath(pid: number = process.pid): string {
  return `/tmp/perf-${pid}.map`;
}

/** One line of the map. Names may not contain newlines (perf splits on them). */
export function perfMapLine(address: bigint, size: number, name: string): string {
  return `${address.toString(16)} ${size.toString(16)} ${name.replace(/[\r\n]/g, ' ')}\n`;
}

class PerfMapFile {
  readonly path: string;
  /** Open for the life of the process: perf reads the file after the process ends. */
  readonly #fd: number;
  readonly #maps = new WeakSet<CodeMap>();

  constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, 'a');
  }

  /** Logs every code object of `map`, existing and future (once per map). */
  follow(map: CodeMap): void {
    if (this.#maps.has(map)) return;
    this.#maps.add(map);
    map.listen((events) => this.#write(events));
  }

  #write(events: readonly CodeEvent[]): void {
    let text = '';
    for (const event of events) if (event.type !== 'free') text += perfMapLine(event.code.address, event.code.size, event.code.name);
    // Synchronous: a sample taken right after placement must find its line when perf reports.
    if (text !== '') writeSync(this.#fd, text);
  }

}

const files = new Map<string, PerfMapFile>();

/** Starts writing the perf map at `path` (default `/tmp/perf-<pid>.map`) for every code object of `map`. */
export function writePerfMap(map: CodeMap, path: string = perfMapPath()): string {
  let file = files.get(path);
  if (file === undefined) {
    file = new PerfMapFile(path);
    files.set(path, file);
  }
  file.follow(map);
  return path;
}
