// Runs one script on an executing engine, in this process, and records each assertion's outcome:
// the execution tests' WastRunner (@flint/execution-tests) performs every command through
// Flint's JS API; this maps its outcomes onto the harness's assertion kinds. Called by the
// child processes of child-pool.ts (exec-child.ts), never in the harness's own process, since
// generated code that crashes takes its process with it.
// Script semantics: https://github.com/WebAssembly/spec/tree/main/interpreter#scripts
import { readFileSync } from 'node:fs';
import { WastRunner } from '@flint/execution-tests';
import { parseWast, type WastCommand, type WastScript } from '@flint/text';
import type { ScriptFile } from './discover.ts';
import type { ExecutionTarget } from './engine.ts';
import type { AssertionKind, FileResult } from './results.ts';
import { newFileResult, recordFailure, recordPass, recordSkip } from './results.ts';
import { CUSTOM_ANNOTATIONS } from './run-script.ts';

function kindOf(command: WastCommand): AssertionKind {
  switch (command.type) {
    case 'action':
      return command.action.type;
    case 'assert_trap_module':
      return 'assert_trap';
    case 'assert_malformed':
      return `assert_malformed:${command.module.kind}`;
    case 'assert_invalid':
      return command.module.kind === 'quote' ? 'assert_invalid:quote' : 'assert_invalid';
    default:
      return command.type;
  }
}

/** What the command asserts, for failure reports. */
function expectation(command: WastCommand): string {
  switch (command.type) {
    case 'module':
      return 'the module compiles and instantiates';
    case 'assert_return':
      return `${command.expected.length} result(s) as given`;
    case 'assert_trap':
    case 'assert_trap_module':
    case 'assert_exhaustion':
    case 'assert_uninstantiable':
      return `a RuntimeError ("${command.text}")`;
    case 'assert_unlinkable':
      return `a LinkError ("${command.text}")`;
    case 'assert_invalid':
    case 'assert_malformed':
    case 'assert_invalid_custom':
    case 'assert_malformed_custom':
      return `a CompileError ("${command.text}")`;
    default:
      return 'the command succeeds';
  }
}

/** Runs the commands of one parsed script on `target`'s configuration of the runtime. */
export function runScriptText(source: string, script: ScriptFile, target: ExecutionTarget, engineName: string): FileResult {
  const result = newFileResult(script.file, script.group);
  let parsed: WastScript;
  try {
    parsed = parseWast(source, script.file);
  } catch (error) {
    result.scriptParseError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return result;
  }
  const commands = parsed.commands;
  const groupSkip = target.skippedGroups.get(script.group);
  if (groupSkip !== undefined) {
    for (const command of commands) recordSkip(result, kindOf(command), command.line, groupSkip);
    return result;
  }
  const runner = new WastRunner({ name: engineName, options: { tier: target.tier, lazy: target.lazy } });
  const outcomes = runner.run(parsed);
  outcomes.forEach((outcome, i) => {
    const command = commands[i]!;
    const kind = kindOf(command);
    // Same policy as the compile-only engines (run-script.ts): the core spec leaves annotation
    // checks to custom-section consumers.
    if (kind === 'assert_malformed_custom' || kind === 'assert_invalid_custom') recordSkip(result, kind, outcome.line, CUSTOM_ANNOTATIONS);
    else if (outcome.status === 'pass') recordPass(result, kind, outcome.line);
    else if (outcome.status === 'skip') recordSkip(result, kind, outcome.line, outcome.message);
    else {
      // A text module the WAST parser could not encode surfaces as its WatSyntaxError.
      const cause = outcome.message.startsWith('WatSyntaxError') ? 'parser' : 'engine';
      recordFailure(result, { file: script.file, line: outcome.line, kind, cause, expected: expectation(command), actual: outcome.message });
    }
  });
  return result;
}

/** Reads and runs one script file (see `runScriptText`). */
export function runExecutionFile(script: ScriptFile, target: ExecutionTarget, engineName: string): FileResult {
  return runScriptText(readFileSync(script.absolutePath, 'utf8'), script, target, engineName);
}
