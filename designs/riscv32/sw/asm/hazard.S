/* Pipeline hazards: back-to-back forwarding at distance 1, 2 and 3 on both
 * operands, load-use into ALU, store data, address and branch, branch right
 * after a load, jalr on a fresh value, forwarding must ignore x0, and
 * multiply/divide results consumed immediately. */
#include "test_macros.h"
    TEST_BEGIN

    /* ALU -> ALU chain, distance 1 on operand A and B */
    li      a1, 1
    addi    a2, a1, 1
    add     a3, a2, a2
    sub     a4, a1, a3
    CHECK   1, a4, 0xFFFFFFFD

    /* distance 2 and 3 (WB forward and register-file bypass) */
    li      a1, 5
    li      a2, 7
    nop
    add     a3, a1, a2           /* a1 at distance 3, a2 at distance 2 */
    CHECK   2, a3, 12
    li      a1, 9
    nop
    nop
    add     a3, a1, a1           /* distance 3 */
    CHECK   3, a3, 18

    /* the newest producer wins when two in flight write the same register */
    li      a1, 1
    li      a1, 2
    add     a3, a1, zero
    CHECK   4, a3, 2
    li      a1, 3
    li      a2, 0
    li      a1, 4
    add     a3, a1, a2
    CHECK   5, a3, 4

    /* writes to x0 must not be forwarded */
    li      a1, 7
    addi    x0, a1, 5
    add     a3, x0, a1
    CHECK   6, a3, 7
    lw      x0, -4(sp)           /* load to x0 followed by a use of x0: no stall, no value */
    add     a3, x0, x0
    CHECK   7, a3, 0

    la      s0, data
    /* load-use into the ALU, both operands */
    lw      a1, 0(s0)
    add     a3, a1, a1
    CHECK   10, a3, 0x2468
    lw      a1, 0(s0)
    sub     a3, zero, a1
    CHECK   11, a3, 0xFFFFEDCC
    /* load-use with a gap of one instruction (forward from WB) */
    lw      a1, 4(s0)
    nop
    addi    a3, a1, 1
    CHECK   12, a3, 0x5679
    /* load -> load address (pointer chasing) */
    lw      a1, 8(s0)            /* = address of data + 4 */
    lw      a3, 0(a1)
    CHECK   13, a3, 0x5678
    /* load -> store data and store address */
    lw      a1, 0(s0)
    sw      a1, 12(s0)
    lw      a3, 12(s0)
    CHECK   14, a3, 0x1234
    lw      a1, 8(s0)
    sw      s0, 8(a1)            /* data + 12 */
    lw      a3, 12(s0)
    sub     a3, a3, s0
    CHECK   15, a3, 0
    /* load followed by a load with the same destination */
    lw      a1, 0(s0)
    lw      a1, 4(s0)
    add     a3, a1, zero
    CHECK   16, a3, 0x5678

    /* branch right after a load, taken and not taken */
    li      gp, 20
    lw      a1, 0(s0)
    li      a2, 0x1234
    bne     a1, a2, fail
    lw      a1, 0(s0)
    beq     a1, zero, fail
    lw      a1, 4(s0)
    beq     a1, a1, 1f
    j       fail
1:
    /* branch on a value computed by the previous instruction */
    li      gp, 21
    li      a1, 3
    addi    a1, a1, -3
    bnez    a1, fail
    addi    a1, a1, 1
    beqz    a1, fail

    /* jalr on a freshly loaded target */
    li      gp, 22
    lw      a1, 16(s0)
    jalr    ra, 0(a1)
    CHECK   23, a0, 0x77

    /* instructions after a taken branch/jump must not execute */
    li      a0, 0
    j       2f
    addi    a0, a0, 1
    addi    a0, a0, 2
2:  CHECK   24, a0, 0
    li      a1, 1
    bnez    a1, 3f
    li      a0, 5
    sw      a0, 12(s0)
3:  CHECK   25, a0, 0

    /* multiply and divide results used immediately; operands forwarded in */
    li      a1, 6
    addi    a1, a1, 1
    mul     a3, a1, a1
    addi    a3, a3, 1
    CHECK   30, a3, 50
    lw      a1, 0(s0)
    divu    a3, a1, a1
    add     a3, a3, a3
    CHECK   31, a3, 2
    li      a1, 100
    li      a2, 9
    rem     a3, a1, a2
    beq     a3, zero, fail
    sw      a3, 12(s0)
    lw      a4, 12(s0)
    CHECK   32, a4, 1
    /* a store in flight behind a divide completes exactly once */
    li      a5, 0
    sw      a5, 20(s0)
    div     a3, a1, a2
    lw      a5, 20(s0)
    addi    a5, a5, 1
    sw      a5, 20(s0)
    lw      a5, 20(s0)
    add     a3, a3, a5
    CHECK   33, a3, 12

    TEST_END

target:
    li      a0, 0x77
    ret

    .data
    .align 2
data:
    .word   0x1234
    .word   0x5678
    .word   data + 4
    .word   0
    .word   target
    .word   0
