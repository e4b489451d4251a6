// Pass 1 of module encoding: every definition — explicit, imported, or implied by an inline
// abbreviation (`(table … (elem …))`, `(memory … (data …))`) — gets its index and name before
// anything is encoded, so references may point forward. Also enforces that imports come first.
// Spec: https://webassembly.github.io/spec/core/text/modules.html#indices
import { Tok } from '../lexer.ts';
import type { IndexSpace, ModuleContext } from './context.ts';
import type { Cursor } from './cursor.ts';

/** The five kinds of definition that imports must precede. */
export const DEFINITION_KINDS = ['func', 'table', 'memory', 'global', 'tag'] as const;
export type DefinitionKind = (typeof DEFINITION_KINDS)[number];
const KIND_WORD: Record<DefinitionKind, string> = { func: 'function', table: 'table', memory: 'memory', global: 'global', tag: 'tag' };

/** Assigns indices and names in every index space for the fields starting at the given tokens. */
export function defineIndices(cur: Cursor, ctx: ModuleContext, fields: readonly number[]): void {
  let firstDefinition: DefinitionKind | null = null;
  const idAt = (q: number): string | null => (cur.kind(q) === Tok.Id ? cur.idName(q) : null);
  const recordNames = cur.tokens.annotations.length > 0;
  // Defines the next index of `space` from the definition whose optional identifier is at `q`,
  // and notes where a `(@name …)` for it would stand.
  const defineAt = (space: IndexSpace, q: number): void => {
    const id = idAt(q);
    const index = space.define(cur, id, q);
    if (recordNames) ctx.namePositions.set(id !== null ? q + 1 : q, { space, index });
  };
  const space = (kind: DefinitionKind): IndexSpace =>
    kind === 'func' ? ctx.funcs : kind === 'table' ? ctx.tables : kind === 'memory' ? ctx.memories : kind === 'global' ? ctx.globals : ctx.tags;
  const checkImport = (at: number): void => {
    if (firstDefinition !== null) cur.error(`import after ${KIND_WORD[firstDefinition]}`, at);
  };
  for (const p of fields) {
    const kw = cur.text(p + 1);
    switch (kw) {
      case 'type':
        defineAt(ctx.types, p + 2);
        break;
      case 'rec':
        for (let q = p + 2; cur.kind(q) === Tok.LParen; q = cur.closeOf(q) + 1) {
          if (cur.isKeyword('type', q + 1)) defineAt(ctx.types, q + 2);
        }
        break;
      case 'import': {
        const q = p + 2;
        if (cur.kind(q) !== Tok.String || cur.kind(q + 1) !== Tok.String || cur.kind(q + 2) !== Tok.LParen) break; // reported in pass 3
        const kind = cur.text(q + 3) as DefinitionKind;
        if (!DEFINITION_KINDS.includes(kind)) cur.unexpected(q + 3);
        checkImport(p);
        defineAt(space(kind), q + 4);
        break;
      }
      case 'func':
      case 'table':
      case 'memory':
      case 'global':
      case 'tag': {
        let q = p + 2;
        const id = idAt(q);
        if (id !== null) q++;
        while (cur.kind(q) === Tok.LParen && cur.isKeyword('export', q + 1)) q = cur.closeOf(q) + 1;
        const imported = cur.kind(q) === Tok.LParen && cur.isKeyword('import', q + 1);
        if (imported) checkImport(p);
        else firstDefinition ??= kw;
        defineAt(space(kw), p + 2);
        if (!imported && (kw === 'table' || kw === 'memory')) {
          // An inline `(elem …)` or `(data …)` defines a segment right here.
          const segment = kw === 'table' ? 'elem' : 'data';
          for (; cur.kind(q) !== Tok.RParen && cur.kind(q) !== Tok.Eof; q++) {
            if (cur.kind(q) === Tok.LParen) {
              if (cur.isKeyword(segment, q + 1)) (kw === 'table' ? ctx.elems : ctx.datas).define(cur, null, q);
              q = cur.closeOf(q);
            }
          }
        }
        break;
      }
      case 'elem':
        defineAt(ctx.elems, p + 2);
        break;
      case 'data':
        defineAt(ctx.datas, p + 2);
        break;
      case 'export':
      case 'start':
        break;
      default:
        cur.unexpected(p + 1);
    }
  }
}
