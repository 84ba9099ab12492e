/* RV32M: all eight instructions with the signed/unsigned corner cases,
 * division by zero and signed overflow as the ISA defines them. */
#include "test_macros.h"
    TEST_BEGIN

    TEST_RR  1, mul,    0x00000006, 2, 3
    TEST_RR  2, mul,    0xFFFFFFFA, 0xFFFFFFFE, 3
    TEST_RR  3, mul,    0x00000001, 0xFFFFFFFF, 0xFFFFFFFF
    TEST_RR  4, mul,    0x00000000, 0x80000000, 2
    TEST_RR  5, mul,    0x242D2080, 0x12345678, 0x9ABCDEF0
    TEST_RR_SAME 6, mul, 0x00000009, 3

    TEST_RR 10, mulh,   0x00000000, 2, 3
    TEST_RR 11, mulh,   0xFFFFFFFF, 0xFFFFFFFE, 3
    TEST_RR 12, mulh,   0x00000000, 0xFFFFFFFF, 0xFFFFFFFF
    TEST_RR 13, mulh,   0x40000000, 0x80000000, 0x80000000
    TEST_RR 14, mulh,   0xC0000000, 0x80000000, 0x7FFFFFFF
    TEST_RR 15, mulh,   0xF8CC93D6, 0x12345678, 0x9ABCDEF0

    TEST_RR 20, mulhsu, 0xFFFFFFFF, 0xFFFFFFFF, 1
    TEST_RR 21, mulhsu, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF
    TEST_RR 22, mulhsu, 0x00000000, 1, 0xFFFFFFFF
    TEST_RR 23, mulhsu, 0x80000000, 0x80000000, 0xFFFFFFFF
    TEST_RR 24, mulhsu, 0x0B00EA4E, 0x12345678, 0x9ABCDEF0

    TEST_RR 30, mulhu,  0x00000000, 2, 3
    TEST_RR 31, mulhu,  0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF
    TEST_RR 32, mulhu,  0x40000000, 0x80000000, 0x80000000
    TEST_RR 33, mulhu,  0x0B00EA4E, 0x12345678, 0x9ABCDEF0

    TEST_RR 40, div,    0x00000003, 20, 6
    TEST_RR 41, div,    0xFFFFFFFD, 0xFFFFFFEC, 6       /* -20/6 = -3 (toward zero) */
    TEST_RR 42, div,    0xFFFFFFFD, 20, 0xFFFFFFFA
    TEST_RR 43, div,    0x00000003, 0xFFFFFFEC, 0xFFFFFFFA
    TEST_RR 44, div,    0xFFFFFFFF, 20, 0               /* x/0 = -1 */
    TEST_RR 45, div,    0xFFFFFFFF, 0xFFFFFFEC, 0
    TEST_RR 46, div,    0x80000000, 0x80000000, 0xFFFFFFFF  /* overflow */
    TEST_RR 47, div,    0x00000000, 5, 7

    TEST_RR 50, divu,   0x00000003, 20, 6
    TEST_RR 51, divu,   0x2AAAAAA7, 0xFFFFFFEC, 6
    TEST_RR 52, divu,   0xFFFFFFFF, 20, 0
    TEST_RR 53, divu,   0x00000000, 0x80000000, 0xFFFFFFFF
    TEST_RR 54, divu,   0x00000001, 0xFFFFFFFF, 0xFFFFFFFF

    TEST_RR 60, rem,    0x00000002, 20, 6
    TEST_RR 61, rem,    0xFFFFFFFE, 0xFFFFFFEC, 6       /* sign follows dividend */
    TEST_RR 62, rem,    0x00000002, 20, 0xFFFFFFFA
    TEST_RR 63, rem,    0xFFFFFFFE, 0xFFFFFFEC, 0xFFFFFFFA
    TEST_RR 64, rem,    0x00000014, 20, 0               /* x%0 = x */
    TEST_RR 65, rem,    0xFFFFFFEC, 0xFFFFFFEC, 0
    TEST_RR 66, rem,    0x00000000, 0x80000000, 0xFFFFFFFF  /* overflow */

    TEST_RR 70, remu,   0x00000002, 20, 6
    TEST_RR 71, remu,   0x00000002, 0xFFFFFFEC, 6
    TEST_RR 72, remu,   0x00000014, 20, 0
    TEST_RR 73, remu,   0x80000000, 0x80000000, 0xFFFFFFFF
    TEST_RR 74, remu,   0x00000000, 0xFFFFFFFF, 0xFFFFFFFF

    /* back-to-back divides, and a divide result used right away */
    li      a1, 1000
    li      a2, 7
    div     a3, a1, a2
    rem     a4, a1, a2
    divu    a5, a3, a2
    add     a0, a4, a5
    CHECK   80, a0, 26                  /* 142 % ... : 1000%7=6, 142/7=20 */
    mul     a0, a3, a2
    add     a0, a0, a4
    CHECK   81, a0, 1000

    TEST_END
