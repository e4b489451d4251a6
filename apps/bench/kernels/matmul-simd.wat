;; matmul.c with i32x4: the same 96x96 u32 product with wrapping arithmetic, n times, each product
;; fed back into A, and the same FNV-1a hash of C — so run(n) equals matmul's run(n). The inner
;; loop computes four columns of C at once: splat(a[i][k]) * b[k][j..j+3], summed over k.
;; Hand-written: this machine has no clang with the wasm32 target (see kernels/README in
;; apps/bench/README.md); the algorithm and data are matmul.c's, line for line.
;; Memory: A at 0, B at 36864, C at 73728 (96 * 96 * 4 = 36864 bytes each).
(module
  (memory 2)
  (func $xorshift (param $x i32) (result i32)
    (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
    (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))

  (func (export "run") (param $n i32) (result i32)
    (local $seed i32) (local $i i32) (local $j i32) (local $k i32) (local $rep i32)
    (local $pa i32) (local $pb i32) (local $sum v128) (local $hash i32)
    ;; A and B from the xorshift32 stream, interleaved element by element as in matmul.c.
    (local.set $seed (i32.const 0x9e3779b9))
    (local.set $i (i32.const 0))
    (loop $init
      (local.set $seed (call $xorshift (local.get $seed)))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.and (local.get $seed) (i32.const 0xffff)))
      (local.set $seed (call $xorshift (local.get $seed)))
      (i32.store offset=36864 (i32.shl (local.get $i) (i32.const 2)) (i32.and (local.get $seed) (i32.const 0xffff)))
      (br_if $init (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 9216))))
    (local.set $rep (i32.const 0))
    (block $done
      (loop $repeat
        (br_if $done (i32.ge_s (local.get $rep) (local.get $n)))
        ;; C = A x B, four columns at a time.
        (local.set $i (i32.const 0))
        (loop $rows
          (local.set $j (i32.const 0))
          (loop $cols
            (local.set $sum (v128.const i32x4 0 0 0 0))
            (local.set $pa (i32.mul (local.get $i) (i32.const 384)))
            (local.set $pb (i32.add (i32.const 36864) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $k (i32.const 0))
            (loop $dot
              (local.set $sum
                (i32x4.add (local.get $sum)
                  (i32x4.mul (v128.load32_splat (local.get $pa)) (v128.load (local.get $pb)))))
              (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
              (local.set $pb (i32.add (local.get $pb) (i32.const 384)))
              (br_if $dot (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 96))))
            (v128.store offset=73728
              (i32.add (i32.mul (local.get $i) (i32.const 384)) (i32.shl (local.get $j) (i32.const 2)))
              (local.get $sum))
            (br_if $cols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (i32.const 96))))
          (br_if $rows (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 96))))
        ;; A = (C >> 7) & 0xffff, four elements at a time.
        (local.set $i (i32.const 0))
        (loop $feedback
          (v128.store (local.get $i)
            (v128.and (i32x4.shr_u (v128.load offset=73728 (local.get $i)) (i32.const 7)) (v128.const i32x4 0xffff 0xffff 0xffff 0xffff)))
          (br_if $feedback (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (i32.const 36864))))
        (local.set $rep (i32.add (local.get $rep) (i32.const 1)))
        (br $repeat)))
    ;; FNV-1a over C, as matmul.c.
    (local.set $hash (i32.const 2166136261))
    (local.set $i (i32.const 0))
    (loop $hash
      (local.set $hash (i32.mul (i32.xor (local.get $hash) (i32.load offset=73728 (local.get $i))) (i32.const 16777619)))
      (br_if $hash (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 36864))))
    (local.get $hash))
  (export "memory" (memory 0)))
