// Runs a set of testsuite scripts against one engine: read, parse the script, run its commands.
import { readFileSync } from 'node:fs';
import { parseWast } from '@flint/text';
import type { ScriptFile } from './discover.ts';
import type { EngineUnderTest } from './engine.ts';
import type { FileResult } from './results.ts';
import { newFileResult } from './results.ts';
import type { TextFrontend } from './run-script.ts';
import { runCommands } from './run-script.ts';
import { fromWast } from './wast-adapter.ts';

/** Parses one script's text into harness commands; throws when the script itself does not parse. */
export type ScriptParser = (source: string, file: string) => ReturnType<typeof fromWast>;

export const parseScript: ScriptParser = (source, file) => fromWast(parseWast(source, file));

export function runFile(
  script: ScriptFile,
  engine: EngineUnderTest,
  text: TextFrontend,
  parse: ScriptParser = parseScript,
): FileResult {
  const result = newFileResult(script.file, script.group);
  const source = readFileSync(script.absolutePath, 'utf8');
  let commands;
  try {
    commands = parse(source, script.file);
  } catch (error) {
    result.scriptParseError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return result;
  }
  runCommands(commands, engine, text, result);
  return result;
}
