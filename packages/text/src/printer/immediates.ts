// The text of one operator and its immediates, driven by the opcode table's immediate kind:
// there is one case per kind of immediate, never one per operator.
// Spec: https://webassembly.github.io/spec/core/text/instructions.html
import { BlockTypeKind, CatchKind, Imm } from '@flint/decoder';
import type { Immediates, Module, OperatorInfo } from '@flint/decoder';
import type { IdSpace, ModuleIds } from './names.ts';
import { formatF32, formatF64, formatI32, formatI64 } from './numbers.ts';
import { heapTypeText, refTypeText, valTypeText } from './types.ts';
import { isNullableCastRow } from '../wat/operators.ts';

const CATCH_CLAUSE_NAMES = ['catch', 'catch_ref', 'catch_all', 'catch_all_ref'] as const;
const GC_PREFIX = 0xfb;

/** What the immediates of one function body or constant expression refer to. */
export interface ImmediateContext {
  readonly module: Module;
  readonly ids: ModuleIds;
  /** The local identifiers of the function being printed (an empty space for constant expressions). */
  readonly locals: IdSpace;
  /** The bytes of the span being printed, for `v128.const` and `i8x16.shuffle` (read at `imm.bytesAt`). */
  spanBytes: Uint8Array;
}

/** ` (result t)` or ` (type $t)` for a block type; empty for `[]`. */
export function blockTypeText(imm: Immediates, ctx: ImmediateContext): string {
  switch (imm.blockTypeKind) {
    case BlockTypeKind.Value:
      return ' (result ' + valTypeText(imm.blockTypeValue, ctx.ids.types) + ')';
    case BlockTypeKind.TypeIndex:
      return ' (type ' + ctx.ids.types.ref(imm.blockTypeValue) + ')';
    default:
      return '';
  }
}

function memArgText(op: OperatorInfo, imm: Immediates, ctx: ImmediateContext): string {
  let text = imm.memIndex !== 0 ? ' ' + ctx.ids.memories.ref(imm.memIndex) : '';
  const offset = imm.memOffsetBig ?? imm.memOffset;
  if (offset !== 0 && offset !== 0n) text += ' offset=' + offset.toString();
  if (op.memSize === 0 || 2 ** imm.memAlign !== op.memSize) text += ' align=' + (1n << BigInt(imm.memAlign)).toString();
  return text;
}

const hex32 = (value: number): string => '0x' + (value >>> 0).toString(16).padStart(8, '0');

function v128Text(imm: Immediates, ctx: ImmediateContext): string {
  const b = ctx.spanBytes;
  let text = ' i32x4';
  for (let lane = 0, at = imm.bytesAt; lane < 4; lane++, at += 4) {
    text += ' ' + hex32(b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24));
  }
  return text;
}

/** `(ref null? ht)` of a cast target; `nullable` is part of the encoding for ref.test / ref.cast. */
const castTargetText = (nullable: boolean, heap: number, ctx: ImmediateContext): string =>
  refTypeText(nullable, false, heap, ctx.ids.types);

/** The full text of one operator: its mnemonic followed by its immediates. */
export function instructionText(op: OperatorInfo, imm: Immediates, ctx: ImmediateContext): string {
  const { ids } = ctx;
  const name = op.name;
  switch (op.immediate) {
    case Imm.None:
      return name;
    case Imm.BlockType:
      return name + blockTypeText(imm, ctx);
    case Imm.TryTable: {
      let text = name + blockTypeText(imm, ctx);
      for (let i = 0; i < imm.catchCount; i++) {
        const kind = imm.catchKinds[i]!;
        text += ' (' + CATCH_CLAUSE_NAMES[kind];
        if (kind === CatchKind.Catch || kind === CatchKind.CatchRef) text += ' ' + ids.tags.ref(imm.catchTags[i]!);
        text += ' ' + imm.catchLabels[i]! + ')';
      }
      return text;
    }
    case Imm.Label:
      return name + ' ' + imm.index;
    case Imm.BrTable: {
      let text = name;
      for (let i = 0; i < imm.brTargetCount; i++) text += ' ' + imm.brTargets[i]!;
      return text + ' ' + imm.index;
    }
    case Imm.Func:
      return name + ' ' + ids.funcs.ref(imm.index);
    case Imm.CallIndirect:
      return name + (imm.index2 !== 0 ? ' ' + ids.tables.ref(imm.index2) : '') + ' (type ' + ids.types.ref(imm.index) + ')';
    case Imm.Type:
      return name + ' ' + ids.types.ref(imm.index);
    case Imm.Local:
      return name + ' ' + ctx.locals.ref(imm.index);
    case Imm.Global:
      return name + ' ' + ids.globals.ref(imm.index);
    case Imm.Table:
      return name + ' ' + ids.tables.ref(imm.index);
    case Imm.Memory:
      return imm.index !== 0 ? name + ' ' + ids.memories.ref(imm.index) : name;
    case Imm.MemArg:
      return name + memArgText(op, imm, ctx);
    case Imm.MemArgLane:
      return name + memArgText(op, imm, ctx) + ' ' + imm.lane;
    case Imm.I32:
      return name + ' ' + formatI32(imm.i32);
    case Imm.I64:
      return name + ' ' + formatI64(imm.i64Lo, imm.i64Hi);
    case Imm.F32:
      return name + ' ' + formatF32(imm.f32Bits);
    case Imm.F64:
      return name + ' ' + formatF64(imm.f64Lo, imm.f64Hi);
    case Imm.V128:
      return name + v128Text(imm, ctx);
    case Imm.Shuffle: {
      let text = name;
      for (let i = 0; i < 16; i++) text += ' ' + ctx.spanBytes[imm.bytesAt + i]!;
      return text;
    }
    case Imm.Lane:
      return name + ' ' + imm.lane;
    case Imm.SelectT:
      // Only one type is valid; a decodable but invalid longer list is printed by its first type.
      return imm.selectTypeCount === 0 ? name + ' (result)' : name + ' (result ' + valTypeText(imm.selectType, ids.types) + ')';
    case Imm.HeapType:
      // ref.test / ref.cast / ref.cast_desc_eq encode the target's nullability in the opcode: the second row of the name.
      if (op.prefix === GC_PREFIX) return name + ' ' + castTargetText(isNullableCastRow(op), imm.heapType, ctx);
      return name + ' ' + heapTypeText(imm.heapType, ids.types);
    case Imm.Tag:
    case Imm.Catch:
      return name + ' ' + ids.tags.ref(imm.index);
    case Imm.MemoryInit:
      return name + ' ' + ids.memories.ref(imm.index2) + ' ' + ids.datas.ref(imm.index);
    case Imm.Data:
      return name + ' ' + ids.datas.ref(imm.index);
    case Imm.MemoryCopy:
      return name + ' ' + ids.memories.ref(imm.index) + ' ' + ids.memories.ref(imm.index2);
    case Imm.TableInit:
      return name + ' ' + ids.tables.ref(imm.index2) + ' ' + ids.elems.ref(imm.index);
    case Imm.Elem:
      return name + ' ' + ids.elems.ref(imm.index);
    case Imm.TableCopy:
      return name + ' ' + ids.tables.ref(imm.index) + ' ' + ids.tables.ref(imm.index2);
    case Imm.TypeField:
      return name + ' ' + ids.types.ref(imm.index) + ' ' + ids.fields(imm.index).ref(imm.index2);
    case Imm.TypeType:
      return name + ' ' + ids.types.ref(imm.index) + ' ' + ids.types.ref(imm.index2);
    case Imm.TypeData:
      return name + ' ' + ids.types.ref(imm.index) + ' ' + ids.datas.ref(imm.index2);
    case Imm.TypeElem:
      return name + ' ' + ids.types.ref(imm.index) + ' ' + ids.elems.ref(imm.index2);
    case Imm.TypeCount:
      return name + ' ' + ids.types.ref(imm.index) + ' ' + imm.index2;
    case Imm.BrOnCast:
      return (
        name +
        ' ' +
        imm.index +
        ' ' +
        castTargetText((imm.castFlags & 1) !== 0, imm.heapType, ctx) +
        ' ' +
        castTargetText((imm.castFlags & 2) !== 0, imm.heapType2, ctx)
      );
    case Imm.AtomicFence:
      return name;
    default:
      // The opcode table gained an immediate kind this printer does not know: a Flint bug.
      throw new Error(`printer: immediate kind ${op.immediate} of '${name}' is not handled`);
  }
}
