/* Macros shared by the self-checking assembly tests.
 *
 * gp (x3) holds the number of the check in progress; on a mismatch the test
 * stores (gp << 1) | 1 to tohost, so the FAIL code names the failing check.
 * Build with -DBREAK_TEST=<n> to corrupt the expected value of check <n>:
 * that build must FAIL with code n (shows the harness can fail). */
#ifndef BREAK_TEST
#define BREAK_TEST 0
#endif

#define TOHOST 0xFFFFFFF0

    .macro TEST_BEGIN
    .section .text.init
    .globl _start
_start:
    li      sp, 0x10000
    .endm

    /* compare register \reg with \expected; t6 is scratch */
    .macro CHECK num, reg, expected
    li      gp, \num
    .if \num == BREAK_TEST
    li      t6, (\expected) ^ 1
    .else
    li      t6, \expected
    .endif
    bne     \reg, t6, fail
    .endm

    /* register-register op: rd = a op b, checked */
    .macro TEST_RR num, op, expected, a, b
    li      a1, \a
    li      a2, \b
    \op     a0, a1, a2
    CHECK   \num, a0, \expected
    .endm

    /* register-immediate op */
    .macro TEST_RI num, op, expected, a, imm
    li      a1, \a
    \op     a0, a1, \imm
    CHECK   \num, a0, \expected
    .endm

    /* same source and destination register */
    .macro TEST_RR_SAME num, op, expected, a
    li      a1, \a
    \op     a1, a1, a1
    CHECK   \num, a1, \expected
    .endm

    .macro TEST_END
    li      t0, 1
    li      t1, TOHOST
    sw      t0, 0(t1)
1:  j       1b
fail:
    slli    t0, gp, 1
    ori     t0, t0, 1
    li      t1, TOHOST
    sw      t0, 0(t1)
2:  j       2b
    .endm
