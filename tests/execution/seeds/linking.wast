;; Seed execution test of the runtime: cross-module imports, shared memory and tables,
;; call_indirect through an exported table, segment order, start functions.
(module $provider
  (memory (export "mem") 1)
  (table (export "tab") 4 funcref)
  (global (export "shared") (mut i32) (i32.const 10))
  (func (export "seven") (result i32) (i32.const 7))
  (func $get (export "get-shared") (result i32) (global.get 0))
  (elem (i32.const 0) $get)
)
(register "provider" $provider)
(module $user
  (import "provider" "mem" (memory 1))
  (import "provider" "tab" (table 4 funcref))
  (import "provider" "shared" (global $shared (mut i32)))
  (import "provider" "seven" (func $seven (result i32)))
  (type $v_i (func (result i32)))
  (func $eight (result i32) (i32.const 8))
  (elem (i32.const 1) $eight)
  (func (export "call-import") (result i32) (call $seven))
  (func (export "indirect") (param i32) (result i32) (call_indirect (type $v_i) (local.get 0)))
  (func (export "set-shared") (param i32) (global.set $shared (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
)
(assert_return (invoke $user "call-import") (i32.const 7))
(assert_return (invoke $user "indirect" (i32.const 1)) (i32.const 8))
(assert_return (invoke $user "indirect" (i32.const 0)) (i32.const 10))
(invoke $user "set-shared" (i32.const 99))
(assert_return (invoke $provider "get-shared") (i32.const 99))
(assert_return (invoke $user "indirect" (i32.const 0)) (i32.const 99))
(assert_trap (invoke $user "indirect" (i32.const 2)) "uninitialized element")
(assert_trap (invoke $user "indirect" (i32.const 4)) "undefined element")
(assert_unlinkable
  (module (import "provider" "seven" (func (param i32) (result i32))))
  "incompatible import type")
(assert_unlinkable
  (module (import "provider" "missing" (func)))
  "unknown import")
;; The first data segment is written before the second one traps.
(assert_trap
  (module
    (import "provider" "mem" (memory 1))
    (data (i32.const 0) "\01\02")
    (data (i32.const 65535) "\03\04"))
  "out of bounds memory access")
(module $after
  (import "provider" "mem" (memory 1))
  (global $seen (mut i32) (i32.const -1))
  (func $start (global.set $seen (i32.load16_u (i32.const 0))))
  (start $start)
  (func (export "seen") (result i32) (global.get $seen))
)
(assert_return (invoke $after "seen") (i32.const 0x0201))
