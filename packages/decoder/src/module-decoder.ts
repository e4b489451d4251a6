// The consumer side of decoding: the streaming decoder cuts the bytes into units (header,
// sections, code-section header, function bodies) and this decodes each unit into the
// module, enforcing section order and the cross-section counts.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#binary-module
import type { FunctionBody, Module } from './types.ts';
import { compileError } from './errors.ts';
import { CORE_FEATURES, type EnabledFeatures } from './options.ts';
import { Reader } from './reader.ts';
import { SECTION_ORDER, SectionId, sectionName } from './section-ids.ts';
import { DecodeContext } from './sections/context.ts';
import { decodeCustomSection } from './sections/custom-section.ts';
import { decodeTypeSection } from './sections/type-section.ts';
import { decodeImportSection } from './sections/import-section.ts';
import { decodeFunctionSection } from './sections/function-section.ts';
import { decodeTableSection } from './sections/table-section.ts';
import { decodeMemorySection } from './sections/memory-section.ts';
import { decodeTagSection } from './sections/tag-section.ts';
import { decodeGlobalSection } from './sections/global-section.ts';
import { decodeExportSection } from './sections/export-section.ts';
import { decodeStartSection } from './sections/start-section.ts';
import { decodeElementSection } from './sections/element-section.ts';
import { decodeDataCountSection } from './sections/data-count-section.ts';
import { decodeDataSection } from './sections/data-section.ts';
import { decodeFunctionBody } from './sections/code-section.ts';

export const WASM_MAGIC = 0x6d736100; // "\0asm" read little-endian
export const WASM_VERSION = 1;

type SectionDecoder = (r: Reader, ctx: DecodeContext) => void;

const DECODERS: readonly (SectionDecoder | null)[] = [
  decodeCustomSection,
  decodeTypeSection,
  decodeImportSection,
  decodeFunctionSection,
  decodeTableSection,
  decodeMemorySection,
  decodeGlobalSection,
  decodeExportSection,
  decodeStartSection,
  decodeElementSection,
  null, // code: cut into bodies by the streaming decoder
  decodeDataSection,
  decodeDataCountSection,
  decodeTagSection,
];

export class ModuleDecoder {
  private readonly ctx: DecodeContext;
  private lastRank = 0;
  private sawCode = false;
  private sawData = false;
  private codeCount = 0;
  private bodiesSeen = 0;
  private readonly bodyReader = new Reader(new Uint8Array(0));

  constructor(features: EnabledFeatures = CORE_FEATURES) {
    this.ctx = new DecodeContext(features);
  }

  get module(): Module {
    return this.ctx.module;
  }

  /** The 4 magic bytes, at module offset 0. */
  magic(bytes: Uint8Array): void {
    const magic = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
    if (magic !== WASM_MAGIC) throw compileError('magic header not detected', 'the module does not start with \\0asm', 0, null);
  }

  /** The 4 version bytes, at module offset 4. */
  version(bytes: Uint8Array): number {
    const version = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
    if (version !== WASM_VERSION) throw compileError('unknown binary version', `version ${version}, expected ${WASM_VERSION}`, 4, null);
    return version;
  }

  /** Checks a section id and its place in the order, before its size or payload are read. */
  sectionId(id: number, offset: number): void {
    if (id >= SECTION_ORDER.length) throw compileError('malformed section id', `0x${id.toString(16)}`, offset, null);
    if (id === SectionId.Custom) return;
    const rank = SECTION_ORDER[id]!;
    if (rank <= this.lastRank) {
      throw compileError('unexpected content after last section', `${sectionName(id)} section out of order or repeated`, offset, null);
    }
    this.lastRank = rank;
  }

  /** A whole non-code section. `payload` holds exactly its bytes, starting at module offset `offset`. */
  section(id: number, payload: Uint8Array, offset: number): void {
    if (id === SectionId.Data) this.sawData = true;
    const r = new Reader(payload, offset);
    r.section = `${sectionName(id)} section`;
    DECODERS[id]!(r, this.ctx);
    r.at('', -1);
    if (!r.atEnd()) r.fail('section size mismatch', `${r.remaining()} byte(s) left after the section's last entry`);
  }

  /** The code section's function count, read at `offset`. */
  codeSectionStart(count: number, offset: number): void {
    this.sawCode = true;
    this.codeCount = count;
    const declared = this.module.functions.length - this.module.numImportedFunctions;
    if (count !== declared) {
      throw compileError('function and code section have inconsistent lengths', `${declared} function(s) declared, ${count} bodies`, offset, 'code section');
    }
  }

  /** One function body: `bytes[start..end)`, after its size field, at module offset `offset`. */
  functionBody(bytes: Uint8Array, start: number, end: number, offset: number, sizeOffset: number): FunctionBody {
    const body = decodeFunctionBody(this.bodyReader, bytes, start, end, offset, sizeOffset, this.bodiesSeen++, this.ctx);
    this.ctx.module.codes.push(body);
    return body;
  }

  /** Every byte of the code section has been cut into bodies; `offset` is where it ended. */
  codeSectionEnd(offset: number): void {
    if (this.bodiesSeen !== this.codeCount) {
      throw compileError('section size mismatch', `the code section ended after ${this.bodiesSeen} of ${this.codeCount} bodies`, offset, 'code section');
    }
  }

  /** End of input at `offset`, after the last complete section. */
  finish(offset: number): Module {
    const m = this.module;
    const declared = m.functions.length - m.numImportedFunctions;
    if (!this.sawCode && declared !== 0) {
      throw compileError('function and code section have inconsistent lengths', `${declared} function(s) declared but no code section`, offset, null);
    }
    if (!this.sawData && m.dataCount !== null && m.dataCount !== 0) {
      throw compileError('data count and data section have inconsistent lengths', `data count ${m.dataCount} but no data section`, offset, null);
    }
    return m;
  }
}
