// The streaming decoder cuts the incoming bytes into units — header, each section, the code
// section's function count, each function body — and hands every unit to the ModuleDecoder as
// soon as its bytes are complete. It buffers only the unit still incomplete: a unit inside one
// chunk stays a view of that chunk; one split across chunks is copied once into a buffer of
// exactly its size, allocated only when all its bytes have arrived.
// `decodeModule` is this decoder fed one chunk, so one-shot and streaming share one code path.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#binary-module
import type { FunctionBody, Module } from './types.ts';
import { CompileError, compileError } from './errors.ts';
import { END_OF_MODULE, END_OF_SECTION, Reader } from './reader.ts';
import { SectionId } from './section-ids.ts';
import { ImplementationLimits as L } from './limits.ts';
import { ModuleDecoder } from './module-decoder.ts';
import { type DecodeOptions, enabledFeatures } from './options.ts';

/** Progress reports. Each is called once its bytes are complete and decoded. */
export interface StreamingListener {
  /** The 8-byte header was valid. */
  onHeader?(version: number): void;
  /** A section was decoded (for the code section: after its last body); `module` is the module so far. */
  onSection?(id: number, module: Module): void;
  /** The code section's function count, before any body arrives. */
  onCodeSectionStart?(count: number, module: Module): void;
  /** One function body, as soon as its bytes are complete. */
  onFunctionBody?(body: FunctionBody, module: Module): void;
}

const State = {
  Magic: 0,
  Version: 1,
  SectionId: 2,
  SectionSize: 3,
  SectionPayload: 4,
  CodeCount: 5,
  BodySize: 6,
  Body: 7,
  Finished: 8,
  Failed: 9,
  Aborted: 10,
} as const;
type State = (typeof State)[keyof typeof State];

/** A LEB128 u32 is at most 5 bytes. */
const MAX_U32_LEB = 5;
const EMPTY = new Uint8Array(0);

export class StreamingDecoder {
  private readonly decoder: ModuleDecoder;
  /** Reads the section, count and body size LEB128s, reused for each. */
  private readonly lebReader = new Reader(EMPTY);
  private readonly listener: StreamingListener;
  private state: State = State.Magic;
  private error: CompileError | null = null;

  /** Pending chunks: `chunks[first]` is read from index `head`. */
  private chunks: Uint8Array[] = [];
  private first = 0;
  private head = 0;
  private available = 0;
  /** Module offset of the next unconsumed byte. */
  private offset = 0;

  private sectionId = 0;
  private sectionStart = 0;
  private sectionSize = 0;
  private sectionSizeOffset = 0;
  private codeCount = 0;
  private bodiesRead = 0;
  private bodySize = 0;
  private bodySizeOffset = 0;

  /** `options.features` opts into proposals that change existing encodings; the default is Wasm 3.0 exactly. */
  constructor(listener: StreamingListener = {}, options?: DecodeOptions) {
    this.listener = listener;
    this.decoder = new ModuleDecoder(enabledFeatures(options));
  }

  /** Feeds the next bytes. The chunk must not be modified afterwards: decoded views may point into it. */
  push(chunk: Uint8Array): void {
    this.checkUsable();
    if (chunk.length === 0) return;
    if (this.offset + this.available + chunk.length > L.maxModuleSize) {
      this.failWith(compileError('module too large', `more than ${L.maxModuleSize} bytes`, this.offset + this.available, null));
    }
    this.chunks.push(chunk);
    this.available += chunk.length;
    this.run();
  }

  /** Ends the input; returns the module, or throws the CompileError of the first problem found. */
  finish(): Module {
    this.checkUsable();
    const end = this.offset + this.available;
    if (this.state !== State.SectionId) this.failWith(this.truncated(end));
    try {
      const module = this.decoder.finish(end);
      this.state = State.Finished;
      return module;
    } catch (e) {
      throw this.record(e);
    }
  }

  /** Stops decoding and drops buffered bytes; later calls fail. */
  abort(): void {
    if (this.state === State.Finished || this.state === State.Failed) return;
    this.state = State.Aborted;
    this.chunks = [];
    this.first = 0;
    this.available = 0;
  }

  private checkUsable(): void {
    if (this.state === State.Failed) throw this.error!;
    if (this.state === State.Aborted) throw compileError('decoding aborted', null, this.offset, null);
    if (this.state === State.Finished) throw compileError('decoding already finished', null, this.offset, null);
  }

  /**
   * The error for input that ends inside a unit. A section whose size claims more bytes than
   * remain even counting from its size field is "length out of bounds" (the reference
   * interpreter's check); one that fits that but not its payload is an "unexpected end".
   */
  private truncated(end: number): CompileError {
    if (this.state === State.SectionPayload || this.state >= State.CodeCount) {
      const fromSizeField = end - this.sectionSizeOffset;
      if (this.sectionSize > fromSizeField) {
        return compileError('length out of bounds', `section of ${this.sectionSize} bytes, ${end - this.sectionStart} remain`, this.sectionSizeOffset, null);
      }
    }
    return compileError(END_OF_MODULE, this.incompleteUnit(), end, this.state >= State.CodeCount ? 'code section' : null);
  }

  private incompleteUnit(): string {
    switch (this.state) {
      case State.Magic:
      case State.Version:
        return 'the module header is incomplete';
      case State.SectionSize:
        return 'the section size is incomplete';
      case State.SectionPayload:
        return `the section needs ${this.sectionSize} bytes, ${this.available} arrived`;
      case State.Body:
        return `function body #${this.decoder.module.numImportedFunctions + this.bodiesRead} needs ${this.bodySize} bytes, ${this.available} arrived`;
      default:
        return 'the code section is incomplete';
    }
  }

  /** Remembers a CompileError so later calls repeat it; anything else (a listener's own exception) aborts. */
  private record(e: unknown): unknown {
    if (e instanceof CompileError) {
      this.error = e;
      this.state = State.Failed;
    } else {
      this.state = State.Aborted;
    }
    this.chunks = [];
    this.first = 0;
    this.available = 0;
    return e;
  }

  private failWith(e: CompileError): never {
    throw this.record(e);
  }

  private run(): void {
    try {
      while (this.step());
    } catch (e) {
      throw this.record(e);
    }
  }

  /** Advances by one unit if its bytes are complete; returns false when more bytes are needed. */
  private step(): boolean {
    const d = this.decoder;
    switch (this.state) {
      case State.Magic: {
        // The magic is checked as soon as it is complete, so a wrong file fails before 8 bytes arrive.
        if (this.available < 4) return false;
        d.magic(this.take(4));
        this.state = State.Version;
        return true;
      }
      case State.Version: {
        if (this.available < 4) return false;
        const version = d.version(this.take(4));
        this.listener.onHeader?.(version);
        this.state = State.SectionId;
        return true;
      }
      case State.SectionId: {
        if (this.available < 1) return false;
        const at = this.offset;
        this.sectionId = this.take(1)[0]!;
        d.sectionId(this.sectionId, at);
        this.state = State.SectionSize;
        return true;
      }
      case State.SectionSize: {
        this.sectionSizeOffset = this.offset;
        const size = this.takeU32(Infinity, END_OF_MODULE);
        if (size < 0) return false;
        this.sectionSize = size;
        this.sectionStart = this.offset;
        if (this.sectionId === SectionId.Code) {
          this.state = State.CodeCount;
        } else {
          this.state = State.SectionPayload;
        }
        return true;
      }
      case State.SectionPayload: {
        if (this.available < this.sectionSize) return false;
        const payload = this.take(this.sectionSize);
        d.section(this.sectionId, payload, this.sectionStart);
        this.listener.onSection?.(this.sectionId, d.module);
        this.state = State.SectionId;
        return true;
      }
      case State.CodeCount: {
        const at = this.offset;
        const count = this.takeU32(this.sectionRemaining(), END_OF_SECTION);
        if (count < 0) return false;
        d.codeSectionStart(count, at);
        this.codeCount = count;
        this.bodiesRead = 0;
        this.listener.onCodeSectionStart?.(count, d.module);
        this.state = State.BodySize;
        return true;
      }
      case State.BodySize: {
        if (this.bodiesRead === this.codeCount) {
          const left = this.sectionRemaining();
          if (left !== 0) {
            throw compileError('section size mismatch', `${left} byte(s) left after the last function body`, this.offset, 'code section');
          }
          d.codeSectionEnd(this.offset);
          this.listener.onSection?.(SectionId.Code, d.module);
          this.state = State.SectionId;
          return true;
        }
        const at = this.offset;
        const funcIndex = d.module.numImportedFunctions + this.bodiesRead;
        const size = this.takeU32(this.sectionRemaining(), END_OF_SECTION, funcIndex);
        if (size < 0) return false;
        const context = `code section, function #${funcIndex}`;
        if (size > L.maxFunctionSize) throw compileError('function body too large', `${size} bytes, the limit is ${L.maxFunctionSize}`, at, context);
        if (size > this.sectionRemaining()) {
          throw compileError(END_OF_SECTION, `body of ${size} bytes, ${this.sectionRemaining()} remain in the code section`, at, context);
        }
        this.bodySize = size;
        this.bodySizeOffset = at;
        this.state = State.Body;
        return true;
      }
      case State.Body: {
        if (this.available < this.bodySize) return false;
        const at = this.offset;
        const size = this.bodySize;
        const chunk = this.chunks[this.first] ?? EMPTY;
        let body: FunctionBody;
        if (chunk.length - this.head >= size) {
          // Inside one chunk: decoded in place, and only the operators get a view.
          body = d.functionBody(chunk, this.head, this.head + size, at, this.bodySizeOffset);
          if (size > 0) this.skipInChunk(size);
        } else {
          body = d.functionBody(this.take(size), 0, size, at, this.bodySizeOffset);
        }
        this.bodiesRead++;
        this.listener.onFunctionBody?.(body, d.module);
        this.state = State.BodySize;
        return true;
      }
      default:
        return false;
    }
  }

  private sectionRemaining(): number {
    return this.sectionStart + this.sectionSize - this.offset;
  }

  /**
   * Reads a u32 LEB128 that may not extend past `limit` bytes from here, or returns -1 when
   * more bytes are needed. Malformed encodings fail with the reader's errors.
   */
  private takeU32(limit: number, endReason: string, entry = -1): number {
    const window = Math.min(MAX_U32_LEB, limit);
    let length = -1;
    let seen = 0;
    for (let c = this.first, i = this.head; c < this.chunks.length && seen < window; c++, i = 0) {
      const chunk = this.chunks[c]!;
      for (; i < chunk.length && seen < window; i++) {
        seen++;
        if (chunk[i]! < 0x80) {
          length = seen;
          break;
        }
      }
      if (length >= 0) break;
    }
    if (length < 0) {
      if (seen < window) return -1;
      length = window; // no terminator within the window: let the reader report why
    }
    const at = this.offset;
    const r = this.lebReader;
    const chunk = this.chunks[this.first]!;
    // The common case reads in place, without a view (one per section and per function body).
    const inChunk = chunk.length - this.head >= length;
    if (inChunk) {
      r.bytes = chunk;
      r.base = at - this.head;
      r.pos = this.head;
      r.end = this.head + length;
    } else {
      r.bytes = this.take(length);
      r.base = at;
      r.pos = 0;
      r.end = length;
    }
    r.endReason = endReason;
    r.section = this.state >= State.CodeCount ? 'code section' : '';
    r.at(entry >= 0 ? 'function' : '', entry);
    const value = r.u32();
    if (inChunk) this.skipInChunk(length);
    return value;
  }

  /** Consumes `n` available bytes that lie in the first chunk, without making a view. */
  private skipInChunk(n: number): void {
    this.head += n;
    this.available -= n;
    this.offset += n;
    if (this.head === this.chunks[this.first]!.length) this.dropFirst();
  }

  /** Consumes `n` available bytes: a view when they lie in one chunk, else one copy. */
  private take(n: number): Uint8Array {
    if (n === 0) return EMPTY;
    const chunk = this.chunks[this.first]!;
    let out: Uint8Array;
    if (chunk.length - this.head >= n) {
      out = chunk.subarray(this.head, this.head + n);
      this.head += n;
      if (this.head === chunk.length) this.dropFirst();
    } else {
      out = new Uint8Array(n);
      let filled = 0;
      while (filled < n) {
        const c = this.chunks[this.first]!;
        const part = Math.min(c.length - this.head, n - filled);
        out.set(c.subarray(this.head, this.head + part), filled);
        filled += part;
        this.head += part;
        if (this.head === c.length) this.dropFirst();
      }
    }
    this.available -= n;
    this.offset += n;
    return out;
  }

  private dropFirst(): void {
    // Release the consumed chunk at once: only views the module kept may still hold it.
    this.chunks[this.first] = EMPTY;
    this.first++;
    this.head = 0;
    if (this.first === this.chunks.length) {
      this.chunks = [];
      this.first = 0;
    } else if (this.first > 64 && this.first * 2 > this.chunks.length) {
      // Compact now and then so that many small chunks do not make the queue grow without bound.
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }
}

/** Decodes a whole module held in memory: the streaming decoder fed one chunk. */
export function decodeModule(bytes: Uint8Array, options?: DecodeOptions): Module {
  const decoder = new StreamingDecoder(undefined, options);
  decoder.push(bytes);
  return decoder.finish();
}
