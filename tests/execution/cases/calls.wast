;; Direct, imported, indirect and tail calls: argument passing in every register class, values
;; live across calls, call_indirect's checks, and tail calls that run in constant stack.
;; https://webassembly.github.io/spec/core/exec/instructions.html#control-instructions

(module
  (type $ii-i (func (param i32 i32) (result i32)))
  (type $i-i (func (param i32) (result i32)))
  (type $l-l (func (param i64) (result i64)))
  (type $v-i (func (result i32)))
  (table $t 4 funcref)
  (elem (table $t) (i32.const 0) func $add $sub $ten)

  (func $add (type $ii-i) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $ii-i) (i32.sub (local.get 0) (local.get 1)))
  (func $ten (type $v-i) (i32.const 10))
  (func $mixed (param i32 f64 i64 f32 i32 f64) (result f64)
    (f64.add
      (f64.add (f64.convert_i32_s (local.get 0)) (local.get 1))
      (f64.add
        (f64.add (f64.convert_i64_s (local.get 2)) (f64.promote_f32 (local.get 3)))
        (f64.add (f64.convert_i32_s (local.get 4)) (local.get 5)))))
  (func $six (param i32 i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.add (local.get 0) (i32.mul (local.get 1) (i32.const 10)))
      (i32.add (i32.mul (local.get 2) (i32.const 100)) (i32.mul (local.get 3) (i32.const 1000))))
      (i32.add (i32.mul (local.get 4) (i32.const 10000)) (i32.mul (local.get 5) (i32.const 100000)))))

  (func (export "call_add") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  ;; Arguments given in reverse register order force a parallel move.
  (func (export "call_swapped") (param i32 i32) (result i32) (call $sub (local.get 1) (local.get 0)))
  (func (export "call_mixed") (result f64)
    (call $mixed (i32.const 1) (f64.const 0.5) (i64.const 100) (f32.const 0.25) (i32.const -3) (f64.const 1000)))
  (func (export "call_six") (result i32)
    (call $six (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6)))
  ;; Values computed before a call are still there after it.
  (func (export "live_across_call") (param i32) (result i32)
    (i32.add
      (i32.mul (local.get 0) (i32.const 3))
      (i32.add (call $add (local.get 0) (i32.const 1)) (call $ten))))
  (func (export "f64_live_across_call") (param f64) (result f64)
    (f64.add (f64.mul (local.get 0) (f64.const 2)) (f64.convert_i32_s (call $ten))))

  (func (export "dispatch") (param i32 i32 i32) (result i32)
    (call_indirect $t (type $ii-i) (local.get 1) (local.get 2) (local.get 0)))
  (func (export "dispatch_v") (param i32) (result i32) (call_indirect $t (type $v-i) (local.get 0)))

  (func $fac (export "fac") (type $l-l)
    (if (result i64) (i64.le_u (local.get 0) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func $even (export "even") (type $i-i)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1)) (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (type $i-i)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (call $even (i32.sub (local.get 0) (i32.const 1))))))

  ;; Tail calls: a million iterations would exhaust any stack without them.
  (func $count (export "count") (param i32 i64) (result i64)
    (if (result i64) (i32.eqz (local.get 0))
      (then (local.get 1))
      (else (return_call $count (i32.sub (local.get 0) (i32.const 1)) (i64.add (local.get 1) (i64.extend_i32_u (local.get 0)))))))
  (func $tail_even (export "tail_even") (type $i-i)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call_indirect $t2 (type $i-i) (i32.sub (local.get 0) (i32.const 1)) (i32.const 1)))))
  (func $tail_odd (type $i-i)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call_indirect $t2 (type $i-i) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))))
  (table $t2 funcref (elem $tail_even $tail_odd))
  (func (export "tail_bad_type") (result i32) (return_call_indirect $t (type $i-i) (i32.const 0) (i32.const 2)))
)

(assert_return (invoke "call_add" (i32.const 2) (i32.const 3)) (i32.const 5))
(assert_return (invoke "call_swapped" (i32.const 2) (i32.const 10)) (i32.const 8))
(assert_return (invoke "call_mixed") (f64.const 1098.75))
(assert_return (invoke "call_six") (i32.const 654321))
(assert_return (invoke "live_across_call" (i32.const 5)) (i32.const 31))
(assert_return (invoke "f64_live_across_call" (f64.const 1.25)) (f64.const 12.5))
(assert_return (invoke "dispatch" (i32.const 0) (i32.const 7) (i32.const 5)) (i32.const 12))
(assert_return (invoke "dispatch" (i32.const 1) (i32.const 7) (i32.const 5)) (i32.const 2))
(assert_return (invoke "dispatch_v" (i32.const 2)) (i32.const 10))
(assert_trap (invoke "dispatch" (i32.const 2) (i32.const 7) (i32.const 5)) "indirect call type mismatch")
(assert_trap (invoke "dispatch" (i32.const 3) (i32.const 7) (i32.const 5)) "uninitialized element")
(assert_trap (invoke "dispatch" (i32.const 4) (i32.const 7) (i32.const 5)) "undefined element")
(assert_trap (invoke "dispatch" (i32.const -1) (i32.const 7) (i32.const 5)) "undefined element")
(assert_trap (invoke "dispatch_v" (i32.const 0)) "indirect call type mismatch")
(assert_return (invoke "fac" (i64.const 20)) (i64.const 2432902008176640000))
(assert_return (invoke "fac" (i64.const 0)) (i64.const 1))
(assert_return (invoke "even" (i32.const 100)) (i32.const 1))
(assert_return (invoke "even" (i32.const 77)) (i32.const 0))
(assert_return (invoke "count" (i32.const 10) (i64.const 0)) (i64.const 55))
(assert_return (invoke "count" (i32.const 1000000) (i64.const 0)) (i64.const 500000500000))
(assert_return (invoke "tail_even" (i32.const 1000000)) (i32.const 1))
(assert_return (invoke "tail_even" (i32.const 999999)) (i32.const 0))
(assert_trap (invoke "tail_bad_type") "indirect call type mismatch")

;; Imports: host functions and functions of another instance.
(module $lib
  (global $g (mut i32) (i32.const 0))
  (func (export "bump") (param i32) (result i32)
    (global.set $g (i32.add (global.get $g) (local.get 0)))
    (global.get $g))
  (func (export "get") (result i32) (global.get $g))
)
(register "lib" $lib)

(module
  (import "lib" "bump" (func $bump (param i32) (result i32)))
  (import "lib" "get" (func $get (result i32)))
  (import "spectest" "print_i32" (func $print (param i32)))
  (global $mine (mut i32) (i32.const 1000))
  (func (export "twice") (param i32) (result i32)
    (drop (call $bump (local.get 0)))
    (call $print (i32.const 1))
    ;; this instance's own global must still be reachable after calls into the other instance
    (i32.add (global.get $mine) (call $bump (local.get 0))))
  (func (export "tail_import") (result i32) (return_call $get))
)
(assert_return (invoke "twice" (i32.const 5)) (i32.const 1010))
(assert_return (invoke "tail_import") (i32.const 10))
(assert_return (invoke $lib "get") (i32.const 10))
