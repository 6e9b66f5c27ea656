;; The nearest-neighbour kernel behind VectorIndex.nearestMany (layout and proof: vectorScan.ts).
;; Assembled by `npx tsx scripts/assemble-vector-scan.ts` into vectorScanWasm.ts.
;;
;; Each stored row has its float32 vector and, in a separate array read in one sequential
;; stream, the same vector quantised to int16 followed by four float64 bound terms. One pass over the rows serves a block of queries: the int16 dot product
;; (i32x4.dot_i16x8_s) gives a cheap estimate with a proven error bound, and only rows whose
;; estimate could still reach the best so far get the exact dot product, computed in float64
;; in exactly the order of dotAt in vectorIndex.ts, so the similarity is the same to the bit.
(module
  (memory (export "memory") 1)

  ;; dotAt, bit for bit: float32 products are exact in float64, accumulators s0..s3 live in two
  ;; f64x2 lanes, and each step adds (p[j] + p[j+4]) to s[j % 4] as dotAt does.
  (func $exact (param $row i32) (param $q i32) (param $dim i32) (result f64)
    (local $j i32) (local $end i32) (local $v0 v128) (local $v1 v128)
    (local $acc01 v128) (local $acc23 v128) (local $s0 f64)
    (local.set $end (i32.and (local.get $dim) (i32.const -8)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $v0 (v128.load (local.get $row)))
        (local.set $v1 (v128.load offset=16 (local.get $row)))
        (local.set $acc01
          (f64x2.add (local.get $acc01)
            (f64x2.add
              (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v0)) (v128.load (local.get $q)))
              (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v1))
                (v128.load offset=32 (local.get $q))))))
        (local.set $acc23
          (f64x2.add (local.get $acc23)
            (f64x2.add
              (f64x2.mul
                (f64x2.promote_low_f32x4
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                    (local.get $v0) (local.get $v0)))
                (v128.load offset=16 (local.get $q)))
              (f64x2.mul
                (f64x2.promote_low_f32x4
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                    (local.get $v1) (local.get $v1)))
                (v128.load offset=48 (local.get $q))))))
        (local.set $row (i32.add (local.get $row) (i32.const 32)))
        (local.set $q (i32.add (local.get $q) (i32.const 64)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $next)))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $acc01)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $j) (local.get $dim)))
        (local.set $s0
          (f64.add (local.get $s0)
            (f64.mul (f64.promote_f32 (f32.load (local.get $row))) (f64.load (local.get $q)))))
        (local.set $row (i32.add (local.get $row) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
    (f64.add
      (f64.add
        (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $acc01)))
        (f64x2.extract_lane 0 (local.get $acc23)))
      (f64x2.extract_lane 1 (local.get $acc23))))

  ;; Row $i against one query whose int16 dot product is $dot. The query's record at $rec holds
  ;; its float64 copy, then at $rec + $qp its scale, three bound coefficients, best similarity,
  ;; lower bound and best index. The row's float64 scale and bound terms sit at $st.
  (func $consider
    (param $i i32) (param $row i32) (param $st i32) (param $rec i32) (param $qp i32)
    (param $dot i32) (param $dim i32) (param $filter i32)
    (local $estimate f64) (local $error f64) (local $bound f64) (local $exact f64)
    (local.set $qp (i32.add (local.get $rec) (local.get $qp)))
    (local.set $estimate
      (f64.mul (f64.mul (f64.convert_i32_s (local.get $dot)) (f64.load (local.get $st)))
        (f64.load (local.get $qp))))
    (local.set $error
      (f64.add
        (f64.add
          (f64.mul (f64.load offset=8 (local.get $st)) (f64.load offset=8 (local.get $qp)))
          (f64.mul (f64.load offset=16 (local.get $st)) (f64.load offset=16 (local.get $qp))))
        (f64.mul (f64.load offset=24 (local.get $st)) (f64.load offset=24 (local.get $qp)))))
    (local.set $bound (f64.load offset=40 (local.get $qp)))
    (if (i32.or (i32.eqz (local.get $filter))
          (f64.ge (f64.add (local.get $estimate) (local.get $error)) (local.get $bound)))
      (then
        (local.set $exact (call $exact (local.get $row) (local.get $rec) (local.get $dim)))
        ;; Strict > in row order keeps the lowest index among equals.
        (if (f64.gt (local.get $exact) (f64.load offset=32 (local.get $qp)))
          (then
            (f64.store offset=32 (local.get $qp) (local.get $exact))
            (i32.store offset=48 (local.get $qp) (local.get $i))))
        (local.set $bound (f64.max (local.get $bound) (local.get $exact)))))
    (f64.store offset=40 (local.get $qp)
      (f64.max (local.get $bound) (f64.sub (local.get $estimate) (local.get $error)))))

  ;; Rows $first..$first + $count (int16 copies from $rows, float32 vectors packed from
  ;; $vectors) against $quads groups of four queries: their int16 vectors
  ;; interleaved chunk by chunk from $qs (chunk c of query j of a group at c * 64 + j * 16), their
  ;; records from $recs. With $filter 0 every row gets the exact dot product (the measure of what
  ;; the estimate saves).
  (func (export "scan")
    (param $rows i32) (param $vectors i32) (param $count i32) (param $dim i32) (param $qs i32)
    (param $recs i32) (param $quads i32) (param $filter i32) (param $first i32)
    (local $i16Bytes i32) (local $stride i32) (local $vector i32)
    (local $qp i32) (local $recStride i32) (local $quadBytes i32)
    (local $i i32) (local $row i32) (local $g i32) (local $j i32) (local $rec i32)
    (local $r i32) (local $q i32) (local $end i32)
    (local $r0 v128) (local $r1 v128) (local $a0 v128) (local $a1 v128) (local $a2 v128)
    (local $a3 v128) (local $s01 v128) (local $s23 v128)
    ;; The layout, as vectorScan.ts lays it out.
    (local.set $i16Bytes
      (i32.shl (i32.and (i32.add (local.get $dim) (i32.const 15)) (i32.const -16)) (i32.const 1)))
    (local.set $stride (i32.add (local.get $i16Bytes) (i32.const 32)))
    (local.set $qp
      (i32.and (i32.add (i32.shl (local.get $dim) (i32.const 3)) (i32.const 15)) (i32.const -16)))
    (local.set $recStride (i32.add (local.get $qp) (i32.const 64)))
    (local.set $quadBytes (i32.shl (local.get $i16Bytes) (i32.const 2)))
    (local.set $row (local.get $rows))
    (local.set $vector (local.get $vectors))
    (local.set $i (local.get $first))
    (local.set $count (i32.add (local.get $first) (local.get $count)))
    (block $rowsDone
      (loop $nextRow
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $g (i32.const 0))
        (block $quadsDone
          (loop $nextQuad
            (br_if $quadsDone (i32.ge_u (local.get $g) (local.get $quads)))
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0))
            (local.set $r (local.get $row))
            (local.set $end (i32.add (local.get $r) (local.get $i16Bytes)))
            (local.set $q
              (i32.add (local.get $qs) (i32.mul (local.get $g) (local.get $quadBytes))))
            ;; Two chunks of eight dimensions a turn (the int16 copies are padded to 16).
            (loop $nextChunk
              (local.set $r0 (v128.load (local.get $r)))
              (local.set $r1 (v128.load offset=16 (local.get $r)))
              (local.set $a0
                (i32x4.add (local.get $a0)
                  (i32x4.add
                    (i32x4.dot_i16x8_s (local.get $r0) (v128.load (local.get $q)))
                    (i32x4.dot_i16x8_s (local.get $r1) (v128.load offset=64 (local.get $q))))))
              (local.set $a1
                (i32x4.add (local.get $a1)
                  (i32x4.add
                    (i32x4.dot_i16x8_s (local.get $r0) (v128.load offset=16 (local.get $q)))
                    (i32x4.dot_i16x8_s (local.get $r1) (v128.load offset=80 (local.get $q))))))
              (local.set $a2
                (i32x4.add (local.get $a2)
                  (i32x4.add
                    (i32x4.dot_i16x8_s (local.get $r0) (v128.load offset=32 (local.get $q)))
                    (i32x4.dot_i16x8_s (local.get $r1) (v128.load offset=96 (local.get $q))))))
              (local.set $a3
                (i32x4.add (local.get $a3)
                  (i32x4.add
                    (i32x4.dot_i16x8_s (local.get $r0) (v128.load offset=48 (local.get $q)))
                    (i32x4.dot_i16x8_s (local.get $r1) (v128.load offset=112 (local.get $q))))))
              (local.set $r (i32.add (local.get $r) (i32.const 32)))
              (local.set $q (i32.add (local.get $q) (i32.const 128)))
              (br_if $nextChunk (i32.lt_u (local.get $r) (local.get $end))))
            ;; The four sums, lane j for query j, into scratch memory at 0.
            (local.set $s01
              (i32x4.add
                (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                  (local.get $a0) (local.get $a1))
                (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
                  (local.get $a0) (local.get $a1))))
            (local.set $s23
              (i32x4.add
                (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                  (local.get $a2) (local.get $a3))
                (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
                  (local.get $a2) (local.get $a3))))
            (v128.store (i32.const 0)
              (i32x4.add
                (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                  (local.get $s01) (local.get $s23))
                (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31
                  (local.get $s01) (local.get $s23))))
            (local.set $j (i32.const 0))
            (local.set $rec
              (i32.add (local.get $recs)
                (i32.mul (i32.shl (local.get $g) (i32.const 2)) (local.get $recStride))))
            (loop $nextQuery
              (call $consider (local.get $i) (local.get $vector)
                (i32.add (local.get $row) (local.get $i16Bytes)) (local.get $rec) (local.get $qp)
                (i32.load (i32.shl (local.get $j) (i32.const 2))) (local.get $dim)
                (local.get $filter))
              (local.set $rec (i32.add (local.get $rec) (local.get $recStride)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br_if $nextQuery (i32.lt_u (local.get $j) (i32.const 4))))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br $nextQuad)))
        (local.set $row (i32.add (local.get $row) (local.get $stride)))
        (local.set $vector (i32.add (local.get $vector) (i32.shl (local.get $dim) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $nextRow))))
)
