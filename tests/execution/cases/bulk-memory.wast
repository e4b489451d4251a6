;; Bulk memory operators (through runtime builtins): memory.fill, memory.copy (overlapping in both
;; directions), memory.init and data.drop, with their bounds traps.
;; https://webassembly.github.io/spec/core/exec/instructions.html#memory-instructions

(module
  (memory 1)
  (data $hello "hello")
  (data (i32.const 0) "abcdefgh")
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $hello (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (data.drop $hello))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  ;; A value live across a bulk call must survive it.
  (func (export "live_across_fill") (param i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 2))
      (block (result i32) (memory.fill (i32.const 1000) (local.get 0) (i32.const 4)) (i32.load (i32.const 1000)))))
)

(assert_return (invoke "load64" (i32.const 0)) (i64.const 0x6867666564636261))
(assert_return (invoke "fill" (i32.const 100) (i32.const 0x1ff) (i32.const 3)))
(assert_return (invoke "load8" (i32.const 100)) (i32.const 0xff))
(assert_return (invoke "load8" (i32.const 102)) (i32.const 0xff))
(assert_return (invoke "load8" (i32.const 103)) (i32.const 0))
(assert_return (invoke "fill" (i32.const 65536) (i32.const 1) (i32.const 0)))
(assert_trap (invoke "fill" (i32.const 65535) (i32.const 1) (i32.const 2)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 65537) (i32.const 1) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 0) (i32.const 1) (i32.const -1)) "out of bounds memory access")

;; overlapping copies: forward (dst > src) and backward (dst < src)
(assert_return (invoke "copy" (i32.const 2) (i32.const 0) (i32.const 6)))
(assert_return (invoke "load64" (i32.const 0)) (i64.const 0x6665646362616261))
(assert_return (invoke "copy" (i32.const 0) (i32.const 3) (i32.const 5)))
(assert_return (invoke "load64" (i32.const 0)) (i64.const 0x6665646665646362))
(assert_trap (invoke "copy" (i32.const 65530) (i32.const 0) (i32.const 7)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 0) (i32.const -1) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "copy" (i32.const 65536) (i32.const 65536) (i32.const 0)))

(assert_return (invoke "init" (i32.const 200) (i32.const 1) (i32.const 4)))
(assert_return (invoke "load8" (i32.const 200)) (i32.const 0x65))
(assert_return (invoke "load8" (i32.const 203)) (i32.const 0x6f))
(assert_trap (invoke "init" (i32.const 200) (i32.const 2) (i32.const 4)) "out of bounds memory access")
(assert_trap (invoke "init" (i32.const 65535) (i32.const 0) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "drop"))
(assert_return (invoke "init" (i32.const 200) (i32.const 0) (i32.const 0)))
(assert_trap (invoke "init" (i32.const 200) (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "live_across_fill" (i32.const 1)) (i32.const 0x01010103))
