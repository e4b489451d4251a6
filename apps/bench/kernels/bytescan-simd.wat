;; A byte-scanning loop with i8x16: counts the bytes equal to a target in a 64 KiB buffer, n
;; passes, each pass's target depending on the previous count (so no pass can be skipped), and
;; returns an FNV-1a hash of the counts. Per 16 bytes: i8x16.eq gives -1 per match, subtracted
;; into byte counters; every 128 vectors (so no counter passes 128) the counters are widened with
;; extadd_pairwise and added into i32 lanes.
;; Hand-written: this machine has no clang with the wasm32 target; the buffer is crc32.c's
;; (xorshift32 from 0x12345678, low byte each). Expected checksums: bytescanReference in
;; src/kernels.ts, a scalar TypeScript version of the same algorithm (no wasm engine involved).
(module
  (memory 1)
  (func $xorshift (param $x i32) (result i32)
    (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
    (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))

  (func (export "run") (param $n i32) (result i32)
    (local $seed i32) (local $i i32) (local $pass i32) (local $count i32) (local $hash i32)
    (local $target v128) (local $bytes v128) (local $words v128) (local $chunkEnd i32)
    (local.set $seed (i32.const 0x12345678))
    (local.set $i (i32.const 0))
    (loop $init
      (local.set $seed (call $xorshift (local.get $seed)))
      (i32.store8 (local.get $i) (local.get $seed))
      (br_if $init (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 65536))))
    (local.set $hash (i32.const 2166136261))
    (local.set $count (i32.const 0))
    (local.set $pass (i32.const 0))
    (block $done
      (loop $passes
        (br_if $done (i32.ge_s (local.get $pass) (local.get $n)))
        (local.set $target (i8x16.splat (i32.add (i32.mul (local.get $pass) (i32.const 7)) (local.get $count))))
        (local.set $words (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (loop $chunks
          (local.set $bytes (v128.const i32x4 0 0 0 0))
          (local.set $chunkEnd (i32.add (local.get $i) (i32.const 2048)))
          (loop $scan
            (local.set $bytes (i8x16.sub (local.get $bytes) (i8x16.eq (v128.load (local.get $i)) (local.get $target))))
            (br_if $scan (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $chunkEnd))))
          (local.set $words
            (i32x4.add (local.get $words) (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $bytes)))))
          (br_if $chunks (i32.lt_u (local.get $i) (i32.const 65536))))
        (local.set $count
          (i32.add (i32.add (i32x4.extract_lane 0 (local.get $words)) (i32x4.extract_lane 1 (local.get $words)))
                   (i32.add (i32x4.extract_lane 2 (local.get $words)) (i32x4.extract_lane 3 (local.get $words)))))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (local.get $count)) (i32.const 16777619)))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $passes)))
    (local.get $hash)))
