/* RV32I integer computational instructions: LUI AUIPC, register-immediate
 * and register-register ops, x0 as destination, shifts by 0 and 31,
 * signed vs unsigned comparisons. */
#include "test_macros.h"
    TEST_BEGIN

    /* LUI / AUIPC */
    lui     a0, 0x12345
    CHECK   1, a0, 0x12345000
    lui     a0, 0xFFFFF
    CHECK   2, a0, 0xFFFFF000
1:  auipc   a0, 0
    la      a1, 1b
    sub     a0, a0, a1
    CHECK   4, a0, 0
2:  auipc   a0, 0x1
    la      a1, 2b
    sub     a0, a0, a1
    CHECK   5, a0, 0x1000

    /* ADD / ADDI / SUB with wrap-around */
    TEST_RR 10, add, 0x00000003, 1, 2
    TEST_RR 11, add, 0x00000000, 0xFFFFFFFF, 1
    TEST_RR 12, add, 0x80000000, 0x7FFFFFFF, 1
    TEST_RI 13, addi, 0xFFFFF800, 0, -2048
    TEST_RI 14, addi, 0x000007FE, -1, 2047
    TEST_RR 15, sub, 0xFFFFFFFF, 0, 1
    TEST_RR 16, sub, 0x7FFFFFFF, 0x80000000, 1
    TEST_RR_SAME 17, sub, 0, 0x12345678
    TEST_RR_SAME 18, add, 0x2468ACF0, 0x12345678

    /* logic */
    TEST_RR 20, xor, 0x0FF00FF0, 0xFF00FF00, 0xF0F0F0F0
    TEST_RR 21, or,  0xFFF0FFF0, 0xFF00FF00, 0xF0F0F0F0
    TEST_RR 22, and, 0xF000F000, 0xFF00FF00, 0xF0F0F0F0
    TEST_RI 23, xori, 0x00FF00F0, 0xFF00FF00, -16     /* imm sign-extends */
    TEST_RI 24, xori, 0x00FF00FF, 0xFF00FF00, -1
    TEST_RI 25, ori,  0xFF00FFFF, 0xFF00FF00, 0x0FF
    TEST_RI 26, ori,  0xFFFFFF0F, 0x0000000F, -256
    TEST_RI 27, andi, 0x00000000, 0xFF00FF00, 0x0FF
    TEST_RI 28, andi, 0xFF00FF00, 0xFF00FF0F, -256

    /* shifts: by 0, 1, 31, and amount taken from the low 5 bits only */
    TEST_RR 30, sll, 0x80000000, 1, 31
    TEST_RR 31, sll, 0x00000002, 1, 33
    TEST_RR 32, sll, 0x12345678, 0x12345678, 0
    TEST_RR 33, srl, 0x00000001, 0x80000000, 31
    TEST_RR 34, srl, 0x7FFFFFFF, 0xFFFFFFFF, 0xFFFFFFE1
    TEST_RR 35, sra, 0xFFFFFFFF, 0x80000000, 31
    TEST_RR 36, sra, 0xC0000000, 0x80000000, 1
    TEST_RR 37, sra, 0x3FFFFFFF, 0x7FFFFFFF, 1
    TEST_RI 38, slli, 0x80000000, 0xFFFFFFFF, 31
    TEST_RI 39, slli, 0xFFFFFFFF, 0xFFFFFFFF, 0
    TEST_RI 40, srli, 0x00000001, 0xFFFFFFFF, 31
    TEST_RI 41, srli, 0x00FFFFFF, 0xFFFFFFFF, 8
    TEST_RI 42, srai, 0xFFFFFFFF, 0x80000000, 31
    TEST_RI 43, srai, 0xFF800000, 0x80000000, 8
    TEST_RI 44, srai, 0x00000000, 0x7FFFFFFF, 31

    /* comparisons: signed vs unsigned disagree when the sign bits differ */
    TEST_RR 50, slt,  1, 0xFFFFFFFF, 1
    TEST_RR 51, sltu, 0, 0xFFFFFFFF, 1
    TEST_RR 52, slt,  0, 1, 0xFFFFFFFF
    TEST_RR 53, sltu, 1, 1, 0xFFFFFFFF
    TEST_RR 54, slt,  1, 0x80000000, 0x7FFFFFFF
    TEST_RR 55, sltu, 0, 0x80000000, 0x7FFFFFFF
    TEST_RR 56, slt,  0, 5, 5
    TEST_RR 57, sltu, 0, 5, 5
    TEST_RI 58, slti,  1, 0xFFFFFFFE, -1
    TEST_RI 59, slti,  0, 0, -1
    TEST_RI 60, sltiu, 1, 0, -1         /* -1 is 0xFFFFFFFF unsigned */
    TEST_RI 61, sltiu, 0, 0xFFFFFFFF, 1
    TEST_RI 62, sltiu, 1, 0, 1          /* seqz */
    TEST_RI 63, slti,  0, 0x7FFFFFFF, 2047

    /* writes to x0 are discarded, x0 always reads zero */
    li      a1, 0x55
    addi    x0, a1, 1
    add     x0, a1, a1
    lui     x0, 0x12345
    CHECK   70, x0, 0
    add     a0, x0, x0
    CHECK   71, a0, 0
    addi    a0, x0, -1
    CHECK   72, a0, 0xFFFFFFFF

    TEST_END
