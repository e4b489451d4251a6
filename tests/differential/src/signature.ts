// Failure signatures: what kind of disagreement a mismatch is (aspect and outcome classes, not
// the values), and — after shrinking — which operators the reduced module still uses. The
// allow-list is keyed by the full signature; the shrinker keeps a candidate only while its
// failure class stays the same.
import type { OperatorInfo } from '@flint/decoder';
import { Immediates, decodeModule, readOperators } from '@flint/decoder';
import type { Mismatch } from './runner.ts';

function outcomeClass(text: string): string {
  if (text.startsWith('returned ')) return 'returned';
  return text;
}

/** The aspect and the outcome classes of a mismatch, without values or function numbers. */
export function failureClass(mismatch: Mismatch): string {
  let text: string = mismatch.aspect;
  if (mismatch.aspect === 'outcome') text = `outcome: v8 ${outcomeClass(mismatch.v8)} / flint ${outcomeClass(mismatch.flint)}`;
  if (mismatch.aspect === 'compile' || mismatch.aspect === 'instantiate') text = `${mismatch.aspect}: v8 ${mismatch.v8} / flint ${mismatch.flint}`;
  return text.replace(/#\d+/g, '#N');
}

/** Operators that carry no semantics of their own in generated code: structure and plumbing. */
const PLUMBING = new Set([
  'block', 'loop', 'if', 'else', 'end', 'br', 'br_if', 'br_table', 'return', 'drop', 'nop', 'local.get', 'local.set',
  'local.tee', 'global.get', 'global.set', 'i32.const', 'i64.const', 'f32.const', 'f64.const', 'select',
]);

/** The distinct non-plumbing operators of a module's function bodies, sorted. */
export function operatorsOf(bytes: Uint8Array): string[] {
  const names = new Set<string>();
  const module = decodeModule(bytes);
  const imm = new Immediates();
  const visitor = {
    visit(op: OperatorInfo): void {
      if (!PLUMBING.has(op.name)) names.add(op.name);
    },
  };
  for (const body of module.codes) readOperators(body.code, 0, visitor, imm);
  return [...names].sort();
}

/** `failure class @ operators`: the allow-list key of a shrunk mismatch. */
export function failureSignature(mismatch: Mismatch, shrunkBytes: Uint8Array): string {
  return `${failureClass(mismatch)} @ ${operatorsOf(shrunkBytes).join(' ')}`;
}
