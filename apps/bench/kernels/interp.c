/* Branchy: a switch-dispatched bytecode interpreter (a small stack machine with locals and jumps)
   running a program that sums the Collatz sequence lengths of the starting values 1..n. */
#include "kernel.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, SHR1, AND1, LT, JZ, JMP, HALT };

static u32 code[128];
static u32 emitted;

static u32 emit(u32 word) {
  code[emitted] = word;
  return emitted++;
}

/* Locals: 0 = start value, 1 = limit (n + 1), 2 = x, 3 = total steps. */
static void assemble(void) {
  emitted = 0;
  emit(PUSH); emit(1); emit(STORE); emit(0);
  emit(PUSH); emit(0); emit(STORE); emit(3);
  u32 outer = emitted;
  emit(LOAD); emit(0); emit(LOAD); emit(1); emit(LT); emit(JZ);
  u32 to_done = emit(0);
  emit(LOAD); emit(0); emit(STORE); emit(2);
  u32 inner = emitted;
  emit(LOAD); emit(2); emit(PUSH); emit(1); emit(SUB); emit(JZ);
  u32 to_next = emit(0);
  emit(LOAD); emit(3); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(3);
  emit(LOAD); emit(2); emit(AND1); emit(JZ);
  u32 to_even = emit(0);
  emit(LOAD); emit(2); emit(PUSH); emit(3); emit(MUL); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(2);
  emit(JMP); emit(inner);
  code[to_even] = emitted;
  emit(LOAD); emit(2); emit(SHR1); emit(STORE); emit(2); emit(JMP); emit(inner);
  code[to_next] = emitted;
  emit(LOAD); emit(0); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(0); emit(JMP); emit(outer);
  code[to_done] = emitted;
  emit(LOAD); emit(3); emit(HALT);
}

static u32 execute(u32 limit) {
  u32 stack[16], locals[4] = {0, limit, 0, 0};
  u32 sp = 0, pc = 0;
  for (;;) {
    switch (code[pc++]) {
      case PUSH: stack[sp++] = code[pc++]; break;
      case LOAD: stack[sp++] = locals[code[pc++]]; break;
      case STORE: locals[code[pc++]] = stack[--sp]; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case SHR1: stack[sp - 1] >>= 1; break;
      case AND1: stack[sp - 1] &= 1; break;
      case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case JZ: {
        u32 target = code[pc++];
        if (stack[--sp] == 0) pc = target;
        break;
      }
      case JMP: pc = code[pc]; break;
      case HALT: return stack[sp - 1];
      default: return 0xffffffffu;
    }
  }
}

EXPORT("run") i32 run(i32 n) {
  assemble();
  return (i32)execute((u32)n + 1u);
}
