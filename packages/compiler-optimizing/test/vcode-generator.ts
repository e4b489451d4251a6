// Generated VCode for the allocator and liveness tests: structured programs (straight code,
// diamonds with joins, loops with parameters) under heavy register pressure — fixed-register
// operands, early defs, calls that clobber everything — from a seed, so a failure replays.
import { FIRST_VIRTUAL_REG, InstFlag, RegClass, VCode, makeReg, type MachineEnv } from '@flint/backend';

const r = (cls: number, n: number): number => makeReg(cls as RegClass, n);

export function env(ints: number, floats: number): MachineEnv {
  return {
    allocatable: [Array.from({ length: ints }, (_, i) => r(RegClass.Int, i)), Array.from({ length: floats }, (_, i) => r(RegClass.Float, i))],
    scratch: [r(RegClass.Int, 15), r(RegClass.Float, 15)],
  };
}

/** A deterministic PRNG (mulberry32), so a failing seed can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Block {
  succs: number[];
  preds: number[];
  depth: number;
  params: number[];
  args: number[];
  code: ((c: VCode) => void)[];
}

/**
 * Generates a structured program. Values available in a block are those of its dominators;
 * every instruction reads a few of them and defines new ones.
 */
export function generate(seed: number, machine: MachineEnv): VCode {
  const rand = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const blocks: Block[] = [];
  const code = new VCode();
  let vregs = FIRST_VIRTUAL_REG;
  const classes: number[] = [];
  const newBlock = (depth: number): number => {
    blocks.push({ succs: [], preds: [], depth, params: [], args: [], code: [] });
    return blocks.length - 1;
  };
  const newV = (cls: number): number => {
    classes[vregs] = cls;
    return vregs++;
  };
  const edge = (from: number, to: number): void => {
    blocks[from]!.succs.push(to);
    blocks[to]!.preds.push(from);
  };
  const fixedInt = machine.allocatable[RegClass.Int]!;
  const ops = (b: number, avail: number[], n: number): void => {
    for (let k = 0; k < n; k++) {
      const roll = rand();
      const ints = avail.filter((v) => classes[v] === RegClass.Int);
      if (roll < 0.08 && ints.length > 0) {
        // A call: an argument in the first register, the result in it too, everything clobbered.
        const arg = pick(ints);
        const result = newV(RegClass.Int);
        const fixed = fixedInt[0]!;
        blocks[b]!.code.push((c) => {
          const m = c.addInst(1);
          c.setFlags(m, InstFlag.Move);
          c.def(fixed);
          c.use(arg);
          c.addInst(2);
          c.def(fixed);
          c.use(fixed);
          c.clobber(0xffff, 0xffff);
          const back = c.addInst(1);
          c.setFlags(back, InstFlag.Move);
          c.def(result);
          c.use(fixed);
        });
        avail.push(result);
        continue;
      }
      const cls = rand() < 0.7 ? RegClass.Int : RegClass.Float;
      const uses = avail.filter((v) => classes[v] === cls);
      const early = rand() < 0.15;
      const temp = cls === RegClass.Int && rand() < 0.1 ? newV(RegClass.Int) : -1;
      // No instruction needs more registers at once than the class has.
      const room = machine.allocatable[cls]!.length - (early ? 1 : 0) - (temp >= 0 ? 1 : 0);
      const count = Math.min(uses.length, 1 + Math.floor(rand() * 3), room);
      const read: number[] = [];
      for (let u = 0; u < count; u++) read.push(pick(uses));
      const def = newV(cls);
      blocks[b]!.code.push((c) => {
        c.addInst(3);
        if (early) c.earlyDef(def);
        else c.def(def);
        if (temp >= 0) c.earlyDef(temp);
        for (const u of read) c.use(u);
      });
      avail.push(def);
    }
  };
  const jump = (b: number): void => {
    blocks[b]!.code.push((c) => {
      const i = c.addInst(4);
      c.setFlags(i, InstFlag.Terminator);
    });
  };
  const branch = (b: number, avail: number[]): void => {
    const cond = pick(avail.filter((v) => classes[v] === RegClass.Int));
    blocks[b]!.code.push((c) => {
      const i = c.addInst(5);
      c.setFlags(i, InstFlag.Terminator);
      c.use(cond);
    });
  };
  /** Emits a region starting in block `b`; returns the block where control continues. */
  const region = (b: number, avail: number[], depth: number, budget: number): number => {
    let current = b;
    while (budget-- > 0) {
      ops(current, avail, 1 + Math.floor(rand() * 4));
      const roll = rand();
      if (roll < 0.3 && depth < 3) {
        // Diamond: then / else → join with one parameter per class.
        const then = newBlock(depth);
        const otherwise = newBlock(depth);
        const join = newBlock(depth);
        branch(current, avail);
        edge(current, then);
        edge(current, otherwise);
        const sides = [then, otherwise].map((s) => {
          const local = [...avail];
          const end = region(s, local, depth, 1);
          return { end, local };
        });
        const pInt = newV(RegClass.Int);
        const pFloat = newV(RegClass.Float);
        blocks[join]!.params.push(pInt, pFloat);
        for (const side of sides) {
          const ints = side.local.filter((v) => classes[v] === RegClass.Int);
          const floats = side.local.filter((v) => classes[v] === RegClass.Float);
          blocks[side.end]!.args.push(pick(ints), floats.length > 0 ? pick(floats) : -1);
          jump(side.end);
          edge(side.end, join);
        }
        if (blocks[join]!.preds.some((p) => blocks[p]!.args.includes(-1))) {
          // No float available on some side: drop the float parameter.
          blocks[join]!.params.pop();
          for (const p of blocks[join]!.preds) blocks[p]!.args.pop();
        }
        avail.push(...blocks[join]!.params);
        current = join;
      } else if (roll < 0.5 && depth < 3) {
        // Loop: header(params) → body … latch → header; header → exit.
        const header = newBlock(depth + 1);
        const body = newBlock(depth + 1);
        const exit = newBlock(depth);
        const carried = avail.filter((v) => classes[v] === RegClass.Int).slice(-2);
        const params = carried.map(() => newV(RegClass.Int));
        blocks[header]!.params.push(...params);
        blocks[current]!.args.push(...carried);
        jump(current);
        edge(current, header);
        const inLoop = [...avail, ...params];
        branch(header, inLoop);
        edge(header, body);
        edge(header, exit);
        const local = [...inLoop];
        const latch = region(body, local, depth + 1, 2);
        const ints = local.filter((v) => classes[v] === RegClass.Int);
        blocks[latch]!.args.push(...params.map(() => pick(ints)));
        jump(latch);
        edge(latch, header);
        avail.push(...params);
        current = exit;
      }
    }
    return current;
  };
  const entry = newBlock(0);
  const first = newV(RegClass.Int);
  const firstFloat = newV(RegClass.Float);
  blocks[entry]!.code.push((c) => {
    c.addInst(6);
    c.def(first);
    c.def(firstFloat);
  });
  const avail: number[] = [first, firstFloat];
  const last = region(entry, avail, 0, 6);
  blocks[last]!.code.push((c) => {
    const i = c.addInst(7);
    c.setFlags(i, InstFlag.Terminator);
    // The last value of each class (a float class of two registers cannot take three at once).
    for (const cls of [RegClass.Int, RegClass.Float]) {
      const last = avail.filter((v) => classes[v] === cls).at(-1);
      if (last !== undefined) c.use(last);
    }
  });
  // Lay the blocks out in creation order (dominators first, loops contiguous enough).
  code.reset(blocks.length);
  code.reserveVRegs(vregs - FIRST_VIRTUAL_REG);
  for (let v = FIRST_VIRTUAL_REG; v < vregs; v++) code.setVRegClass(v, classes[v] as RegClass);
  blocks.forEach((b, i) => code.setBlockEdges(i, b.succs, b.succs.length, b.preds, b.preds.length, b.depth));
  blocks.forEach((b, i) => {
    for (const p of b.params) code.addBlockParam(i, p);
  });
  blocks.forEach((b, i) => {
    code.beginBlock(i);
    for (const emit of b.code) emit(code);
    for (const a of b.args) code.addBranchArg(i, a);
    code.endBlock(i);
  });
  return code;
}

