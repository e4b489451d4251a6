// `op(name, ...immediates)`: the bytes of one operator, looked up in the opcode table by its
// text-format name, so that fixtures read like the spec: [...op('i32.const', 5), ...op('end')].
import type { HeapType, ValType } from '../types.ts';
import { heapTypeOf, isNullable, isRefType } from '../types.ts';
import type { OperatorInfo } from '../opcodes.ts';
import { Imm, OPERATORS_BY_NAME } from '../opcodes.ts';
import { f32Bytes, f64Bytes, heapTypeBytes, sleb, uleb, valTypeBytes } from './encoding.ts';

/** A block type: omitted for `[]`, a value type, or `{ typeIndex }`. */
export type BlockTypeArg = ValType | { readonly typeIndex: number } | undefined;

/** A memarg. `align` is log2 and defaults to the natural alignment; `memory` 0 is encoded without the index. */
export interface MemArgSpec {
  readonly align?: number;
  readonly offset?: number | bigint;
  readonly memory?: number;
}

/** A try_table catch clause: `kind` is a `CatchKind`; `tag` is required for catch / catch_ref. */
export interface CatchSpec {
  readonly kind: number;
  readonly tag?: number;
  readonly label: number;
}

type Arg = number | bigint | readonly number[] | Uint8Array | MemArgSpec | BlockTypeArg | readonly CatchSpec[];

function blockTypeBytes(bt: BlockTypeArg): number[] {
  if (bt === undefined) return [0x40];
  if (typeof bt === 'object') return sleb(bt.typeIndex);
  return valTypeBytes(bt);
}

function memArgBytes(arg: MemArgSpec | undefined, op: OperatorInfo): number[] {
  const align = arg?.align ?? Math.log2(op.memSize);
  const memory = arg?.memory ?? 0;
  const offset = arg?.offset ?? 0;
  if (memory === 0) return [...uleb(align), ...uleb(offset)];
  return [...uleb(align | 0x40), ...uleb(memory), ...uleb(offset)];
}

const num = (arg: Arg | undefined, fallback?: number): number => {
  if (typeof arg === 'number') return arg;
  if (arg === undefined && fallback !== undefined) return fallback;
  throw new TypeError(`expected a number immediate, got ${String(arg)}`);
};

/** Picks among encodings that share a mnemonic (`select`, `ref.test`, `ref.cast`) by the immediates given. */
function resolve(name: string, args: readonly Arg[]): OperatorInfo {
  const candidates = OPERATORS_BY_NAME.get(name);
  if (candidates === undefined) throw new Error(`op: unknown operator '${name}'`);
  if (candidates.length === 1) return candidates[0]!;
  if (name === 'select') return candidates[args.length === 0 ? 0 : 1]!;
  // ref.test / ref.cast: the first row takes a non-nullable target, the second a nullable one.
  const target = num(args[0]);
  return candidates[isRefType(target) && isNullable(target) ? 1 : 0]!;
}

/** The heap type of a reference-type argument, or the argument itself when it is already a heap type. */
const heapOf = (arg: number): HeapType => (isRefType(arg) ? heapTypeOf(arg) : arg);

/**
 * The bytes of operator `name` with its immediates, in the order the binary format lists them:
 * - labels, indices, lanes: numbers; `br_table`: (targets[], default); `call_indirect`: (type, table = 0)
 * - `block`/`loop`/`if`/`try`: a {@link BlockTypeArg}; `try_table`: (blockType, catches[])
 * - loads/stores/atomics: a {@link MemArgSpec} (and the lane for `*_lane`); `atomic.fence`: none
 * - `i32.const`/`i64.const`: number or bigint; `f32.const`/`f64.const`: number; `v128.const`,
 *   `i8x16.shuffle`: 16 bytes
 * - `ref.null`: a heap type; `ref.test`/`ref.cast`: a reference type (its nullability picks the encoding);
 *   `br_on_cast[_fail]`: (label, source reference type, target reference type)
 * - typed `select`: an array of value types
 * - two-index operators (`memory.init`, `table.copy`, `struct.get`, …): both indices, the second
 *   defaulting to 0 for memories and tables.
 */
export function op(name: string, ...args: Arg[]): number[] {
  const info = resolve(name, args);
  const out = info.prefix === 0 ? [info.code] : [info.prefix, ...uleb(info.code)];
  const [a, b, c] = args;
  switch (info.immediate) {
    case Imm.None:
      break;
    case Imm.BlockType:
      out.push(...blockTypeBytes(a as BlockTypeArg));
      break;
    case Imm.TryTable: {
      out.push(...blockTypeBytes(a as BlockTypeArg));
      const catches = (b ?? []) as readonly CatchSpec[];
      out.push(...uleb(catches.length));
      for (const clause of catches) {
        out.push(clause.kind);
        if (clause.kind === 0 || clause.kind === 1) out.push(...uleb(num(clause.tag)));
        out.push(...uleb(clause.label));
      }
      break;
    }
    case Imm.BrTable: {
      const targets = a as readonly number[];
      out.push(...uleb(targets.length));
      for (const t of targets) out.push(...uleb(t));
      out.push(...uleb(num(b)));
      break;
    }
    case Imm.Label:
    case Imm.Func:
    case Imm.Type:
    case Imm.Local:
    case Imm.Global:
    case Imm.Tag:
    case Imm.Data:
    case Imm.Elem:
    case Imm.Catch:
    case Imm.Table:
    case Imm.Memory:
      out.push(...uleb(num(a, info.immediate === Imm.Table || info.immediate === Imm.Memory ? 0 : undefined)));
      break;
    case Imm.CallIndirect:
      out.push(...uleb(num(a)), ...uleb(num(b, 0)));
      break;
    case Imm.MemArg:
      out.push(...memArgBytes(a as MemArgSpec | undefined, info));
      break;
    case Imm.MemArgLane:
      out.push(...memArgBytes(a as MemArgSpec | undefined, info), num(b));
      break;
    case Imm.I32:
    case Imm.I64:
      out.push(...sleb(a as number | bigint));
      break;
    case Imm.F32:
      out.push(...f32Bytes(num(a)));
      break;
    case Imm.F64:
      out.push(...f64Bytes(num(a)));
      break;
    case Imm.V128:
    case Imm.Shuffle: {
      const bytes = [...(a as readonly number[])];
      if (bytes.length !== 16) throw new RangeError(`op: ${name} needs 16 bytes, got ${bytes.length}`);
      out.push(...bytes);
      break;
    }
    case Imm.Lane:
      out.push(num(a));
      break;
    case Imm.SelectT: {
      const types = a as readonly number[];
      out.push(...uleb(types.length));
      for (const t of types) out.push(...valTypeBytes(t));
      break;
    }
    case Imm.HeapType:
      out.push(...heapTypeBytes(heapOf(num(a))));
      break;
    case Imm.MemoryInit:
    case Imm.TableInit:
      out.push(...uleb(num(a)), ...uleb(num(b, 0)));
      break;
    case Imm.MemoryCopy:
    case Imm.TableCopy:
      out.push(...uleb(num(a, 0)), ...uleb(num(b, 0)));
      break;
    case Imm.TypeField:
    case Imm.TypeType:
    case Imm.TypeData:
    case Imm.TypeElem:
    case Imm.TypeCount:
      out.push(...uleb(num(a)), ...uleb(num(b)));
      break;
    case Imm.BrOnCast: {
      const source = num(b);
      const target = num(c);
      const flags = (isNullable(source) ? 1 : 0) | (isNullable(target) ? 2 : 0);
      out.push(flags, ...uleb(num(a)), ...heapTypeBytes(heapTypeOf(source)), ...heapTypeBytes(heapTypeOf(target)));
      break;
    }
    case Imm.AtomicFence:
      out.push(0x00);
      break;
    default:
      throw new Error(`op: immediate kind ${info.immediate} of ${name} not handled`);
  }
  return out;
}
