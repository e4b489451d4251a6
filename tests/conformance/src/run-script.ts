// Runs one script's commands against an engine that only compiles and records each assertion's
// outcome (executing engines run scripts through run-execution.ts instead). What each asserts:
//   module                      decodes and validates
//   assert_invalid              compile fails with a CompileError
//   assert_malformed binary     compile fails with a CompileError
//   assert_malformed quote      the text parser rejects it, or compiling what it produced fails
//   assert_unlinkable / assert_uninstantiable / assert_trap (module)
//                               skipped "needs execution"; the module must still validate,
//                               counted as a `module` assertion
//   invoke, get, assert_return, assert_trap, assert_exhaustion, assert_exception, register,
//   module_instance, thread, wait
//                               skipped "needs execution"
//   assert_malformed_custom / assert_invalid_custom
//                               skipped: they check custom-section annotations, which the core
//                               spec leaves to custom-section consumers
import type { HarnessCommand, ScriptModule } from './commands.ts';
import { decodeOptionsFor } from './decode-options.ts';
import type { EngineUnderTest } from './engine.ts';
import type { AssertionKind, FailureCause, FileResult } from './results.ts';
import { recordFailure, recordPass, recordSkip } from './results.ts';

export const NEEDS_EXECUTION = 'needs execution';
export const CUSTOM_ANNOTATIONS = 'custom-section annotation checks not implemented';
export const proposalNotSupported = (feature: string): string => `proposal not supported: ${feature}`;

/** The text parser, injected so that tests can run the harness on synthetic scripts. */
export interface TextFrontend {
  /** Parses and encodes one text module; throws a `WatSyntaxError` when the text is malformed. */
  parseWat(source: string): Uint8Array;
}

/** Error names that mean "rejected as it should be", as opposed to a crash. */
const COMPILE_ERROR = 'CompileError';
const TEXT_ERROR = 'WatSyntaxError';

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : `thrown non-error ${String(error)}`;

type Bytes = { ok: true; bytes: Uint8Array } | { ok: false; error: unknown };

function moduleBytes(module: ScriptModule, text: TextFrontend): Bytes {
  if (module.error != null) return { ok: false, error: module.error };
  if (module.bytes !== null) return { ok: true, bytes: module.bytes };
  try {
    return { ok: true, bytes: text.parseWat(module.source ?? '') };
  } catch (error) {
    return { ok: false, error };
  }
}

function kindOf(command: HarnessCommand & { module: ScriptModule }): AssertionKind {
  switch (command.type) {
    case 'assert_malformed':
      return `assert_malformed:${command.module.kind}`;
    case 'assert_invalid':
      return command.module.kind === 'quote' ? 'assert_invalid:quote' : 'assert_invalid';
    case 'module':
      return 'module';
    default:
      return command.type;
  }
}

export function runCommands(
  commands: readonly HarnessCommand[],
  engine: EngineUnderTest,
  text: TextFrontend,
  result: FileResult,
): void {
  const fail = (kind: AssertionKind, line: number, cause: FailureCause, expected: string, actual: string): void =>
    recordFailure(result, { file: result.file, line, kind, cause, expected, actual });

  /** Null when every feature the module uses is supported, else the skip reason. */
  const unsupported = (features: Iterable<string> | undefined): string | null => {
    if (engine.features === null || features === undefined) return null;
    for (const feature of features) if (!engine.features.has(feature)) return proposalNotSupported(feature);
    return null;
  };

  const decodeOptions = decodeOptionsFor(result.group);
  const groupProposal = result.group.startsWith('proposals/') ? result.group.slice('proposals/'.length) : null;
  const groupSkip = groupProposal !== null && engine.features !== null && !engine.features.has(groupProposal) ? proposalNotSupported(groupProposal) : null;

  /** `module`: decodes and validates. */
  const checkValidates = (module: ScriptModule, line: number): void => {
    const source = moduleBytes(module, text);
    if (!source.ok) {
      fail('module', line, 'parser', 'the text module parses', describe(source.error));
      return;
    }
    const outcome = engine.compile(source.bytes, decodeOptions);
    if (!outcome.ok) {
      fail('module', line, 'engine', 'the module decodes and validates', describe(outcome.error));
      return;
    }
    const skip = unsupported(outcome.features);
    if (skip !== null) recordSkip(result, 'module', line, skip);
    else recordPass(result, 'module', line);
  };

  for (const command of commands) {
    const line = command.line;
    if (!('module' in command)) {
      const custom = command.type === 'assert_malformed_custom' || command.type === 'assert_invalid_custom';
      recordSkip(result, command.type, line, groupSkip ?? (custom ? CUSTOM_ANNOTATIONS : NEEDS_EXECUTION));
      continue;
    }
    const kind = kindOf(command);
    if (groupSkip !== null) {
      recordSkip(result, kind, line, groupSkip);
      continue;
    }
    switch (command.type) {
      case 'module':
        checkValidates(command.module, line);
        break;
      case 'assert_unlinkable':
      case 'assert_uninstantiable':
      case 'assert_trap':
        recordSkip(result, kind, line, NEEDS_EXECUTION);
        checkValidates(command.module, line);
        break;
      case 'assert_invalid': {
        const expected = `a CompileError ("${command.message}")`;
        const source = moduleBytes(command.module, text);
        if (!source.ok) {
          fail(kind, line, 'parser', `the text parses (the module is invalid, not malformed), then ${expected}`, describe(source.error));
          break;
        }
        const outcome = engine.compile(source.bytes, decodeOptions);
        if (outcome.ok) fail(kind, line, 'engine', expected, 'the module validated');
        else if (outcome.error.name !== COMPILE_ERROR) fail(kind, line, 'engine', expected, `crash: ${describe(outcome.error)}`);
        else recordPass(result, kind, line);
        break;
      }
      case 'assert_malformed': {
        const expected = `a ${command.module.kind === 'binary' ? COMPILE_ERROR : `${TEXT_ERROR} or a ${COMPILE_ERROR}`} ("${command.message}")`;
        const source = moduleBytes(command.module, text);
        if (!source.ok) {
          const name = source.error instanceof Error ? source.error.name : '';
          if (name === TEXT_ERROR) recordPass(result, kind, line);
          else fail(kind, line, 'parser', expected, `crash: ${describe(source.error)}`);
          break;
        }
        const outcome = engine.compile(source.bytes, decodeOptions);
        const cause: FailureCause = command.module.kind === 'binary' ? 'engine' : 'parser';
        if (outcome.ok) {
          fail(kind, line, cause, expected, command.module.kind === 'binary' ? 'the module decoded and validated' : 'the text parsed and its module validated');
        } else if (outcome.error.name !== COMPILE_ERROR) fail(kind, line, 'engine', expected, `crash: ${describe(outcome.error)}`);
        else recordPass(result, kind, line);
        break;
      }
    }
  }
}
