;; Deep recursion: legitimate depth works, runaway recursion ends with "call stack exhausted"
;; (the prologue's stack-limit check), for small and large frames, direct and indirect calls.
;; After exhaustion the instance keeps working.

(module
  (type $i-i (func (param i32) (result i32)))
  (table funcref (elem $sum_indirect $forever_indirect))
  (func $sum (export "sum") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (local.get 0) (call $sum (i32.sub (local.get 0) (i32.const 1)))))))
  (func $sum_indirect (export "sum_indirect") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (local.get 0) (call_indirect (type $i-i) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0))))))
  (func $forever (export "forever") (call $forever))
  (func $forever_indirect (export "forever_indirect") (param i32) (result i32)
    (call_indirect (type $i-i) (local.get 0) (i32.const 1)))
  ;; A big frame (many locals) exhausts the stack in fewer calls.
  (func $big (export "big") (param i32) (result i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local.set 32 (i64.extend_i32_u (local.get 0)))
    (if (result i64) (i32.eqz (local.get 0)) (then (i64.const 0))
      (else (i64.add (local.get 32) (call $big (i32.sub (local.get 0) (i32.const 1)))))))
  (func $mutual_a (param i32) (result i32) (call $mutual_b (i32.add (local.get 0) (i32.const 1))))
  (func $mutual_b (param i32) (result i32) (call $mutual_a (i32.add (local.get 0) (i32.const 1))))
  (func (export "mutual") (result i32) (call $mutual_a (i32.const 0)))
)
(assert_return (invoke "sum" (i32.const 1000)) (i32.const 500500))
(assert_return (invoke "sum_indirect" (i32.const 1000)) (i32.const 500500))
(assert_return (invoke "big" (i32.const 100)) (i64.const 5050))
(assert_exhaustion (invoke "forever") "call stack exhausted")
(assert_exhaustion (invoke "forever_indirect" (i32.const 1)) "call stack exhausted")
(assert_exhaustion (invoke "big" (i32.const 10000000)) "call stack exhausted")
(assert_exhaustion (invoke "mutual") "call stack exhausted")
(assert_exhaustion (invoke "sum" (i32.const 100000000)) "call stack exhausted")
(assert_return (invoke "sum" (i32.const 10)) (i32.const 55))
