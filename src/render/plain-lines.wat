;; The literal fast path's two loops over each octet of a message body (plain-lines.ts drives them).
;; WebAssembly with 128-bit SIMD: sixteen octets are looked at or copied in one step, where
;; JavaScript takes one, or four with word tricks. Assembled by scripts/assemble-wasm.mjs into
;; plain-lines-wasm.ts; a unit test checks that the two agree.
;;
;; All offsets are octets into the module's one memory, whose layout plain-lines.ts decides. Loads
;; and stores of 16 octets may reach up to 16 octets past what they mean to read or write: the
;; layout leaves room for that after each region, and what is written past the end of an output is
;; written over by what follows it (or lies past the length handed back).
(module
  (memory (export "memory") 1)

  ;; Whether the `n` octets at `src` need no escaping but their CRLF line ends: no C0 control and no
  ;; DEL, except a CR right before an LF (and that LF). Returns how many CRLFs there are, each CR's
  ;; offset from `src` stored as an i32 at `crAt` on, in order; or -1. Non-ASCII octets are the
  ;; caller's to check (isAscii, isUtf8).
  (func (export "scan") (param $src i32) (param $n i32) (param $crAt i32) (result i32)
    (local $i i32) (local $mask i32) (local $at i32) (local $count i32) (local $octet i32)
    (local $space v128) (local $del v128) (local $v v128)
    (local.set $space (i8x16.splat (i32.const 0x20)))
    (local.set $del (i8x16.splat (i32.const 0x7f)))
    ;; Sixteen octets at a time: one bit a lane below 0x20 or equal to 0x7f. After a CRLF the next
    ;; sixteen start right past its LF, so a line of 78 octets takes five steps.
    (block $tail
      (loop $blocks
        (br_if $tail (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $n)))
        (local.set $v (v128.load align=1 (i32.add (local.get $src) (local.get $i))))
        (local.set $mask
          (i8x16.bitmask (v128.or (i8x16.lt_u (local.get $v) (local.get $space)) (i8x16.eq (local.get $v) (local.get $del)))))
        (if (i32.eqz (local.get $mask))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $blocks)))
        (local.set $at (i32.add (local.get $i) (i32.ctz (local.get $mask))))
        (if (i32.ne (i32.load8_u (i32.add (local.get $src) (local.get $at))) (i32.const 0x0d))
          (then (return (i32.const -1))))
        (if (i32.ge_u (i32.add (local.get $at) (i32.const 1)) (local.get $n))
          (then (return (i32.const -1))))
        (if (i32.ne (i32.load8_u offset=1 (i32.add (local.get $src) (local.get $at))) (i32.const 0x0a))
          (then (return (i32.const -1))))
        (i32.store (i32.add (local.get $crAt) (i32.shl (local.get $count) (i32.const 2))) (local.get $at))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (local.set $i (i32.add (local.get $at) (i32.const 2)))
        (br $blocks)))
    ;; The last fewer than sixteen, one by one.
    (block $done
      (loop $octets
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $octet (i32.load8_u (i32.add (local.get $src) (local.get $i))))
        (if (i32.and (i32.ge_u (local.get $octet) (i32.const 0x20)) (i32.ne (local.get $octet) (i32.const 0x7f)))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $octets)))
        (if (i32.ne (local.get $octet) (i32.const 0x0d))
          (then (return (i32.const -1))))
        (if (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $n))
          (then (return (i32.const -1))))
        (if (i32.ne (i32.load8_u offset=1 (i32.add (local.get $src) (local.get $i))) (i32.const 0x0a))
          (then (return (i32.const -1))))
        (i32.store (i32.add (local.get $crAt) (i32.shl (local.get $count) (i32.const 2))) (local.get $i))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $octets)))
    (local.get $count))

  ;; The display lines between the first and the last of `count` CRLFs (offsets at `crAt`) of the
  ;; text at `src`: each is the `start` marks, the line and the `end` marks, or the `empty` marks
  ;; for an empty line. Written at `out`; returns where they end. Each copy goes sixteen octets a
  ;; step, at least one step (writing up to 16 more, which what follows writes over). The copies are
  ;; written out in full, not called: V8 calls a function of the module at about a third of the
  ;; speed of the loop inlined.
  (func (export "lines") (param $src i32) (param $crAt i32) (param $count i32) (param $out i32)
      (param $start i32) (param $startLen i32) (param $end i32) (param $endLen i32)
      (param $empty i32) (param $emptyLen i32) (result i32)
    (local $k i32) (local $from i32) (local $cr i32) (local $o i32) (local $q i32) (local $len i32)
    (local.set $o (local.get $out))
    (local.set $from (i32.add (i32.load (local.get $crAt)) (i32.const 2)))
    (local.set $k (i32.const 1))
    (block $done
      (loop $line
        (br_if $done (i32.ge_s (local.get $k) (local.get $count)))
        (local.set $cr (i32.load (i32.add (local.get $crAt) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $len (i32.sub (local.get $cr) (local.get $from)))
        (if (i32.eqz (local.get $len))
          (then
            (local.set $q (i32.const 0))
            (loop $empty
              (v128.store align=1 (i32.add (local.get $o) (local.get $q)) (v128.load align=1 (i32.add (local.get $empty) (local.get $q))))
              (local.set $q (i32.add (local.get $q) (i32.const 16)))
              (br_if $empty (i32.lt_s (local.get $q) (local.get $emptyLen))))
            (local.set $o (i32.add (local.get $o) (local.get $emptyLen))))
          (else
            (local.set $q (i32.const 0))
            (loop $start
              (v128.store align=1 (i32.add (local.get $o) (local.get $q)) (v128.load align=1 (i32.add (local.get $start) (local.get $q))))
              (local.set $q (i32.add (local.get $q) (i32.const 16)))
              (br_if $start (i32.lt_s (local.get $q) (local.get $startLen))))
            (local.set $o (i32.add (local.get $o) (local.get $startLen)))
            (local.set $q (i32.const 0))
            (loop $text
              (v128.store align=1 (i32.add (local.get $o) (local.get $q))
                (v128.load align=1 (i32.add (i32.add (local.get $src) (local.get $from)) (local.get $q))))
              (local.set $q (i32.add (local.get $q) (i32.const 16)))
              (br_if $text (i32.lt_s (local.get $q) (local.get $len))))
            (local.set $o (i32.add (local.get $o) (local.get $len)))
            (local.set $q (i32.const 0))
            (loop $end
              (v128.store align=1 (i32.add (local.get $o) (local.get $q)) (v128.load align=1 (i32.add (local.get $end) (local.get $q))))
              (local.set $q (i32.add (local.get $q) (i32.const 16)))
              (br_if $end (i32.lt_s (local.get $q) (local.get $endLen))))
            (local.set $o (i32.add (local.get $o) (local.get $endLen)))))
        (local.set $from (i32.add (local.get $cr) (i32.const 2)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $line)))
    (local.get $o))
)
