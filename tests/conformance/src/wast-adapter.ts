// Maps the text package's WAST script model to the harness's commands. Nested `thread`
// scripts need execution, so a thread is one skipped command.
import type { WastCommand, WastModule, WastScript } from '@flint/text';
import type { HarnessCommand, ScriptModule } from './commands.ts';

function scriptModule(module: WastModule): ScriptModule {
  return { kind: module.kind, bytes: module.bytes ?? null, source: module.source ?? null, error: module.error ?? null };
}

function toHarness(command: WastCommand): HarnessCommand {
  const line = command.line;
  switch (command.type) {
    case 'module':
      return { type: 'module', line, module: scriptModule(command) };
    case 'assert_invalid':
    case 'assert_malformed':
    case 'assert_unlinkable':
    case 'assert_uninstantiable':
      return { type: command.type, line, module: scriptModule(command.module), message: command.text };
    case 'assert_trap_module':
      return { type: 'assert_trap', line, module: scriptModule(command.module), message: command.text };
    case 'action':
      return { type: command.action.type, line };
    case 'assert_invalid_custom':
    case 'assert_malformed_custom':
    case 'module_instance':
    case 'register':
    case 'assert_return':
    case 'assert_trap':
    case 'assert_exhaustion':
    case 'assert_exception':
    case 'thread':
    case 'wait':
      return { type: command.type, line };
  }
}

export function fromWast(script: WastScript): HarnessCommand[] {
  return script.commands.map(toHarness);
}
