;; Multi-value: functions with more results than result registers (the extra ones travel through
;; the caller's stack result area), calls with more arguments than argument registers, and
;; multi-value blocks. Exports that return several values also need the host entry path to
;; support stack results.
;; https://webassembly.github.io/spec/core/exec/instructions.html#function-calls

(module
  (func $pair (param i32) (result i32 i32) (local.get 0) (i32.mul (local.get 0) (i32.const 10)))
  (func $mixed (result i64 f32 i32 f64 i64) (i64.const -1) (f32.const 1.5) (i32.const 7) (f64.const 0.25) (i64.const 0x100000000))
  (func $many (param i32 i32 i32 i32 i32 i32 i32 i32 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result i32 f64)
    (i32.add (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3)))
             (i32.add (i32.add (local.get 4) (local.get 5)) (i32.mul (local.get 6) (local.get 7))))
    (f64.add (f64.add (local.get 8) (local.get 9))
      (f64.add (f64.add (local.get 10) (local.get 11))
        (f64.add (f64.add (local.get 12) (local.get 13))
          (f64.add (f64.add (local.get 14) (local.get 15)) (f64.mul (local.get 16) (local.get 17)))))))
  (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))

  (func (export "pair_diff") (param i32) (result i32) (call $pair (local.get 0)) (i32.sub))
  (func (export "mixed_sum") (result f64)
    (local $a i64) (local $b f32) (local $c i32) (local $d f64) (local $e i64)
    (call $mixed)
    (local.set $e) (local.set $d) (local.set $c) (local.set $b) (local.set $a)
    (f64.add
      (f64.add (f64.convert_i64_s (local.get $a)) (f64.promote_f32 (local.get $b)))
      (f64.add (f64.add (f64.convert_i32_s (local.get $c)) (local.get $d)) (f64.convert_i64_s (local.get $e)))))
  (func (export "many") (result f64) (local $d f64)
    (call $many (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8)
      (f64.const 1) (f64.const 2) (f64.const 3) (f64.const 4) (f64.const 5) (f64.const 6) (f64.const 7) (f64.const 8) (f64.const 9) (f64.const 10))
    (local.set $d)
    (f64.convert_i32_s)
    (local.get $d)
    (f64.add))
  (func (export "swap_twice") (param i32 i32) (result i32)
    (call $swap (call $swap (local.get 0) (local.get 1))) (i32.sub))
  ;; Results live across further calls.
  (func (export "pair_then_call") (result i32)
    (call $pair (i32.const 3))
    (call $pair (i32.const 4))
    (i32.add) (i32.add) (i32.add))
  (func (export "block_three") (result i32)
    (block (result i32 i32 i32) (i32.const 1) (i32.const 2) (i32.const 3))
    (i32.mul) (i32.sub))
  (func (export "two_results") (result i32 i64) (i32.const 1) (i64.const 2))
  (func (export "three_i32") (result i32 i32 i32) (i32.const 1) (i32.const 2) (i32.const 3))
)

(assert_return (invoke "pair_diff" (i32.const 5)) (i32.const -45))
;; -1 + 1.5 + 7 + 0.25 + 2^32
(assert_return (invoke "mixed_sum") (f64.const 4294967303.75))
;; 1+2+3+4+5+6+7*8 = 77; 1+2+...+8 + 9*10 = 126
(assert_return (invoke "many") (f64.const 203))
(assert_return (invoke "swap_twice" (i32.const 10) (i32.const 3)) (i32.const 7))
;; 3 + 30 + 4 + 40
(assert_return (invoke "pair_then_call") (i32.const 77))
(assert_return (invoke "block_three") (i32.const -5))
(assert_return (invoke "two_results") (i32.const 1) (i64.const 2))
(assert_return (invoke "three_i32") (i32.const 1) (i32.const 2) (i32.const 3))
