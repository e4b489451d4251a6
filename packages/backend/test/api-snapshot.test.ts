// The contract's public surface as text: every exported name of `@flint/backend` with its kind
// and type, generated with the TypeScript checker and compared with the committed
// api-snapshot.txt, so every contract change shows up in review. Re-bless with `vitest -u`.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const FLAGS = ts.TypeFormatFlags.NoTruncation;

/** Declared in `owner` itself (not inherited) and not private/protected. */
function isPublicOwnMember(member: ts.Symbol, owner: ts.Declaration | undefined): boolean {
  const own = member.declarations?.find((d) => d.parent === owner || (ts.isParameter(d) && d.parent.parent === owner));
  if (own === undefined || member.name.startsWith('#')) return false;
  const flags = ts.getCombinedModifierFlags(own);
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
}

function listApi(): string {
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const lines: string[] = [];
  const exports = [...checker.getExportsOfModule(moduleSymbol)].sort((a, b) => a.name.localeCompare(b.name));
  for (const exported of exports) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const name = exported.name;
    const decl = symbol.declarations?.[0];
    if (symbol.flags & ts.SymbolFlags.Class) {
      lines.push(`class ${name}`);
      const instance = checker.getDeclaredTypeOfSymbol(symbol);
      for (const member of checker.getPropertiesOfType(instance)) {
        if (!isPublicOwnMember(member, decl)) continue;
        lines.push(`  ${member.name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(member, decl!), undefined, FLAGS)}`);
      }
      const statics = checker.getTypeOfSymbolAtLocation(symbol, decl!);
      for (const sig of statics.getConstructSignatures()) lines.push(`  new${checker.signatureToString(sig, undefined, FLAGS)}`);
      for (const member of checker.getPropertiesOfType(statics)) {
        if (member.name === 'prototype' || !isPublicOwnMember(member, decl)) continue;
        lines.push(`  static ${member.name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(member, decl!), undefined, FLAGS)}`);
      }
      continue;
    }
    if (symbol.flags & ts.SymbolFlags.Function) {
      const type = checker.getTypeOfSymbolAtLocation(symbol, decl!);
      for (const sig of type.getCallSignatures()) lines.push(`function ${name}${checker.signatureToString(sig, undefined, FLAGS)}`);
    } else if (symbol.flags & ts.SymbolFlags.Variable) {
      lines.push(`const ${name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, decl!), undefined, FLAGS)}`);
    }
    if (symbol.flags & ts.SymbolFlags.Interface) {
      lines.push(`interface ${name}`);
      for (const member of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
        const optional = member.flags & ts.SymbolFlags.Optional ? '?' : '';
        lines.push(`  ${member.name}${optional}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(member, decl!), undefined, FLAGS)}`);
      }
    } else if (symbol.flags & ts.SymbolFlags.TypeAlias) {
      const aliasDecl = symbol.declarations!.find(ts.isTypeAliasDeclaration)!;
      lines.push(`type ${name} = ${aliasDecl.type.getText()}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

it('matches the committed snapshot of the public contract', async () => {
  await expect(listApi()).toMatchFileSnapshot('../api-snapshot.txt');
});
