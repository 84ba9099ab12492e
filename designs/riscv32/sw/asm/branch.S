/* Control transfer: every branch taken and not taken with signed/unsigned
 * disagreement, JAL and JALR link values, JALR clearing bit 0 of the
 * target, backward branches (loop), FENCE as a no-op. */
#include "test_macros.h"
    TEST_BEGIN

    /* taken branches must skip the poison instruction */
    .macro BR_TAKEN num, op, a, b
    li      gp, \num
    li      a1, \a
    li      a2, \b
    .if \num == BREAK_TEST
    \op     a1, a2, fail           /* corrupted check: the taken branch now fails */
    .else
    \op     a1, a2, 1f
    .endif
    j       fail
1:
    .endm

    .macro BR_NOT_TAKEN num, op, a, b
    li      gp, \num
    li      a1, \a
    li      a2, \b
    .if \num == BREAK_TEST
    j       fail
    .endif
    \op     a1, a2, fail
    .endm

    BR_TAKEN      1, beq,  7, 7
    BR_NOT_TAKEN  2, beq,  7, 8
    BR_TAKEN      3, bne,  7, 8
    BR_NOT_TAKEN  4, bne,  0xFFFFFFFF, 0xFFFFFFFF
    BR_TAKEN      5, blt,  0xFFFFFFFF, 1
    BR_NOT_TAKEN  6, blt,  1, 0xFFFFFFFF
    BR_NOT_TAKEN  7, blt,  5, 5
    BR_TAKEN      8, bge,  1, 0xFFFFFFFF
    BR_TAKEN      9, bge,  5, 5
    BR_NOT_TAKEN 10, bge,  0x80000000, 0x7FFFFFFF
    BR_TAKEN     11, bltu, 1, 0xFFFFFFFF
    BR_NOT_TAKEN 12, bltu, 0xFFFFFFFF, 1
    BR_NOT_TAKEN 13, bltu, 5, 5
    BR_TAKEN     14, bgeu, 0xFFFFFFFF, 1
    BR_TAKEN     15, bgeu, 5, 5
    BR_NOT_TAKEN 16, bgeu, 0x7FFFFFFF, 0x80000000

    /* backward branch: count a loop */
    li      a0, 0
    li      a1, 10
3:  addi    a0, a0, 1
    bne     a0, a1, 3b
    CHECK   20, a0, 10

    /* JAL: link register holds the address after the jal */
    jal     ra, 4f
5:  j       fail
4:  la      a1, 5b
    sub     a0, ra, a1
    CHECK   22, a0, 0

    /* JAL with x0 link (plain jump) */
    li      a0, 1
    jal     x0, 6f
    li      a0, 2
6:  CHECK   23, a0, 1

    /* JALR: base + offset, bit 0 of the sum is cleared, link value */
    la      a1, 7f
    addi    a1, a1, -3
    jalr    t0, 4(a1)          /* 7f + 1: lowest bit dropped */
8:  j       fail
7:  la      a2, 8b
    sub     a0, t0, a2
    CHECK   24, a0, 0

    /* JALR with rd == rs1 (link written after the target is taken) */
    la      a1, 9f
    jalr    a1, 0(a1)
10: j       fail
9:  la      a2, 10b
    sub     a0, a1, a2
    CHECK   25, a0, 0

    /* call/return through a subroutine */
    li      a0, 20
    call    double_it
    CHECK   26, a0, 40

    /* FENCE does nothing architecturally */
    li      a0, 0x1234
    fence
    fence   rw, rw
    addi    a0, a0, 1
    CHECK   27, a0, 0x1235

    TEST_END

double_it:
    add     a0, a0, a0
    ret
