;; v128 through the baseline tier's machinery rather than operator by operator (the spec's simd_*
;; scripts cover the operators): v128 locals and their zero start, parameters and results between
;; Wasm functions (more than fit in registers: the ninth goes through the stack), block
;; parameters and results and branches carrying v128 (values pass through 16-byte frame slots at
;; joins), select, mutable v128 globals, more live v128 values than vector registers (spills),
;; call_indirect, and loads, stores and lane accesses with their bounds checks.
;; https://webassembly.github.io/spec/core/exec/instructions.html#vector-instructions

(module
  (memory 1)
  (global $acc (mut v128) (v128.const i32x4 0 0 0 0))
  (global $k v128 (v128.const i64x2 0x1111111111111111 -1))
  (table 2 funcref)
  (elem (i32.const 0) $add4 $sub4)
  (type $bin (func (param v128 v128) (result v128)))

  (func $add4 (type $bin) (i32x4.add (local.get 0) (local.get 1)))
  (func $sub4 (type $bin) (i32x4.sub (local.get 0) (local.get 1)))

  ;; Declared v128 locals start at zero.
  (func (export "zero_local") (result i32) (local v128) (local i32) (local v128)
    (i32.add (v128.any_true (local.get 0)) (v128.any_true (local.get 2))))

  ;; Nine v128 parameters: eight in registers, the ninth on the stack; two results.
  (func $nine (param v128 v128 v128 v128 v128 v128 v128 v128 v128) (result v128 v128)
    (i32x4.add (local.get 0) (local.get 8))
    (i32x4.add (i32x4.add (local.get 1) (local.get 2))
      (i32x4.add (i32x4.add (local.get 3) (local.get 4)) (i32x4.add (i32x4.add (local.get 5) (local.get 6)) (local.get 7)))))
  (func (export "nine") (param i32) (result i32) (local $a v128) (local $b v128)
    (call $nine
      (i32x4.splat (local.get 0)) (v128.const i32x4 1 1 1 1) (v128.const i32x4 2 2 2 2) (v128.const i32x4 3 3 3 3)
      (v128.const i32x4 4 4 4 4) (v128.const i32x4 5 5 5 5) (v128.const i32x4 6 6 6 6) (v128.const i32x4 7 7 7 7)
      (v128.const i32x4 100 200 300 400))
    (local.set $b) (local.set $a)
    ;; (x + 400) * 1000 + (1+2+3+4+5+6+7), from lane 3 of each result.
    (i32.add (i32.mul (i32x4.extract_lane 3 (local.get $a)) (i32.const 1000)) (i32x4.extract_lane 3 (local.get $b))))

  ;; A block with a v128 parameter and result; br_if carries a v128 to the block's end.
  (func (export "block_br_if") (param i32) (result i64)
    (v128.const i64x2 5 6)
    (block (param v128) (result v128)
      (i64x2.add (v128.const i64x2 10 20))
      (br_if 0 (local.get 0))
      (i64x2.mul (v128.const i64x2 3 3)))
    (i64x2.extract_lane 1))

  ;; A loop accumulating in a v128 local, its result leaving through a typed if/else.
  (func (export "loop_sum") (param i32) (result i32) (local $v v128) (local $i i32)
    (loop $next
      (local.set $v (i32x4.add (local.get $v) (i32x4.splat (local.get $i))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get 0))))
    (if (result v128) (i32.gt_u (local.get 0) (i32.const 10))
      (then (i32x4.shl (local.get $v) (i32.const 1)))
      (else (local.get $v)))
    (i32x4.extract_lane 2))

  (func (export "select") (param i32) (result i32)
    (select (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8) (local.get 0))
    (i32x4.extract_lane 1))

  ;; A mutable v128 global, accumulated across calls; an immutable one read.
  (func (export "accumulate") (param i32) (result i32)
    (global.set $acc (i32x4.add (global.get $acc) (i32x4.splat (local.get 0))))
    (i32x4.extract_lane 0 (global.get $acc)))
  (func (export "k_high") (result i64) (i64x2.extract_lane 1 (global.get $k)))

  ;; Twenty live v128 values (more than any backend's allocatable vector registers), then folded.
  (func (export "pressure") (param i32) (result i32)
    (i32x4.splat (local.get 0))
    (i32x4.splat (i32.add (local.get 0) (i32.const 1)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 2)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 3)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 4)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 5)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 6)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 7)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 8)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 9)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 10)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 11)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 12)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 13)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 14)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 15)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 16)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 17)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 18)))
    (i32x4.splat (i32.add (local.get 0) (i32.const 19)))
    (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add)
    (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add)
    (i32x4.extract_lane 3))

  (func (export "indirect") (param i32) (result i32)
    (call_indirect (type $bin) (v128.const i32x4 10 20 30 40) (v128.const i32x4 1 2 3 4) (local.get 0))
    (i32x4.extract_lane 2))

  ;; Memory: a store, lane loads and stores, a splat load; every access bounds-checked.
  (func (export "memory") (param i32) (result i32)
    (v128.store offset=16 (local.get 0) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))
    (v128.store8_lane offset=40 15 (local.get 0) (v128.load offset=16 (local.get 0)))
    (i8x16.extract_lane_u 3
      (v128.load8_lane offset=40 3 (local.get 0) (v128.load32_splat offset=20 (local.get 0)))))
)

(assert_return (invoke "zero_local") (i32.const 0))
(assert_return (invoke "nine" (i32.const 1)) (i32.const 401028))
(assert_return (invoke "block_br_if" (i32.const 1)) (i64.const 26))
(assert_return (invoke "block_br_if" (i32.const 0)) (i64.const 78))
(assert_return (invoke "loop_sum" (i32.const 4)) (i32.const 6))
(assert_return (invoke "loop_sum" (i32.const 12)) (i32.const 132))
(assert_return (invoke "select" (i32.const 1)) (i32.const 2))
(assert_return (invoke "select" (i32.const 0)) (i32.const 6))
(assert_return (invoke "accumulate" (i32.const 5)) (i32.const 5))
(assert_return (invoke "accumulate" (i32.const 7)) (i32.const 12))
(assert_return (invoke "k_high") (i64.const -1))
(assert_return (invoke "pressure" (i32.const 1)) (i32.const 210))
(assert_return (invoke "indirect" (i32.const 0)) (i32.const 33))
(assert_return (invoke "indirect" (i32.const 1)) (i32.const 27))
(assert_return (invoke "memory" (i32.const 0)) (i32.const 15))
(assert_return (invoke "memory" (i32.const 65495)) (i32.const 15))
(assert_trap (invoke "memory" (i32.const 65496)) "out of bounds memory access")
