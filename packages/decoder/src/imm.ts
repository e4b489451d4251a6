// Immediate kinds: how each operator's immediates are encoded, and so which fields of
// `Immediates` the operator loop fills. Kept apart from the opcode table so that the table's
// per-family row files can use it without an import cycle.
// Spec: https://webassembly.github.io/spec/core/binary/instructions.html

/** How an operator's immediates are encoded (and so which fields of `Immediates` it fills). */
export const Imm = {
  None: 0,
  BlockType: 1, // block, loop, if, try (legacy)
  TryTable: 2, // blocktype, vec(catch)
  Label: 3, // br, br_if, br_on_null, br_on_non_null, rethrow, delegate
  BrTable: 4,
  Func: 5, // call, return_call, ref.func
  CallIndirect: 6, // typeidx tableidx
  Type: 7, // call_ref, struct.new, array.new, array.get, …
  Local: 8,
  Global: 9,
  Table: 10, // table.get/set/size/grow/fill
  Memory: 11, // memory.size/grow/fill, memory.discard
  MemArg: 12, // align (with the multi-memory flag bit 6), [memidx], offset
  MemArgLane: 13, // memarg, lane index
  I32: 14,
  I64: 15,
  F32: 16,
  F64: 17,
  V128: 18,
  Shuffle: 19, // 16 lane indices
  Lane: 20,
  SelectT: 21, // vec(valtype)
  HeapType: 22, // ref.null, ref.test, ref.cast
  Tag: 23, // throw, catch (legacy)
  MemoryInit: 24, // dataidx memidx
  Data: 25, // data.drop
  MemoryCopy: 26, // memidx memidx
  TableInit: 27, // elemidx tableidx
  Elem: 28, // elem.drop
  TableCopy: 29, // tableidx tableidx
  TypeField: 30, // struct.get/set: typeidx fieldidx
  TypeType: 31, // array.copy: typeidx typeidx
  TypeData: 32, // array.new_data, array.init_data
  TypeElem: 33, // array.new_elem, array.init_elem
  TypeCount: 34, // array.new_fixed: typeidx u32
  BrOnCast: 35, // flags, label, heaptype, heaptype
  AtomicFence: 36, // one reserved zero byte
  Catch: 37, // legacy `catch tagidx`
} as const;
export type Imm = (typeof Imm)[keyof typeof Imm];
