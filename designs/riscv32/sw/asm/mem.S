/* Loads and stores: every width and byte lane, sign vs zero extension,
 * negative and positive offsets, partial stores leaving the rest intact. */
#include "test_macros.h"
    TEST_BEGIN

    la      s0, buf
    li      a1, 0x8180FF7F
    sw      a1, 0(s0)
    lw      a0, 0(s0)
    CHECK   1, a0, 0x8180FF7F

    /* byte loads: each lane, sign extended and not */
    lb      a0, 0(s0)
    CHECK   2, a0, 0x0000007F
    lb      a0, 1(s0)
    CHECK   3, a0, 0xFFFFFFFF
    lb      a0, 2(s0)
    CHECK   4, a0, 0xFFFFFF80
    lb      a0, 3(s0)
    CHECK   5, a0, 0xFFFFFF81
    lbu     a0, 1(s0)
    CHECK   6, a0, 0x000000FF
    lbu     a0, 3(s0)
    CHECK   7, a0, 0x00000081
    lbu     a0, 0(s0)
    CHECK   8, a0, 0x0000007F

    /* halfword loads */
    lh      a0, 0(s0)
    CHECK   10, a0, 0xFFFFFF7F
    lh      a0, 2(s0)
    CHECK   11, a0, 0xFFFF8180
    lhu     a0, 0(s0)
    CHECK   12, a0, 0x0000FF7F
    lhu     a0, 2(s0)
    CHECK   13, a0, 0x00008180
    li      a1, 0x7FFF1234
    sw      a1, 4(s0)
    lh      a0, 6(s0)
    CHECK   14, a0, 0x00007FFF
    lh      a0, 4(s0)
    CHECK   15, a0, 0x00001234

    /* byte stores into each lane */
    sw      zero, 8(s0)
    li      a1, 0xAB
    sb      a1, 8(s0)
    li      a1, 0x1CD
    sb      a1, 9(s0)             /* only the low byte is stored */
    li      a1, 0xEF
    sb      a1, 10(s0)
    li      a1, 0x12
    sb      a1, 11(s0)
    lw      a0, 8(s0)
    CHECK   20, a0, 0x12EFCDAB

    /* halfword stores into both halves */
    li      a1, 0xFFFFFFFF
    sw      a1, 12(s0)
    li      a1, 0x12345678
    sh      a1, 12(s0)
    lw      a0, 12(s0)
    CHECK   21, a0, 0xFFFF5678
    li      a1, 0xABCD
    sh      a1, 14(s0)
    lw      a0, 12(s0)
    CHECK   22, a0, 0xABCD5678

    /* negative offsets and a base that is not word aligned */
    addi    s1, s0, 19
    li      a1, 0xCAFEBABE
    sw      a1, -3(s1)            /* buf + 16 */
    lw      a0, -3(s1)
    CHECK   30, a0, 0xCAFEBABE
    lbu     a0, -2(s1)            /* buf + 17 */
    CHECK   31, a0, 0xBA
    lhu     a0, -1(s1)            /* buf + 18 */
    CHECK   32, a0, 0xCAFE
    lb      a0, 0(s1)             /* buf + 19 */
    CHECK   33, a0, 0xFFFFFFCA

    /* a load into x0 is discarded */
    lw      x0, 0(s0)
    CHECK   34, x0, 0

    /* initialised data from the image */
    la      s2, table
    lw      a0, 4(s2)
    CHECK   40, a0, 0x0BADF00D
    lhu     a0, 10(s2)
    CHECK   41, a0, 0xBEEF
    lb      a0, 8(s2)
    CHECK   42, a0, 0xFFFFFF80

    TEST_END

    .data
    .align 2
table:
    .word   0x01020304, 0x0BADF00D, 0xBEEF0080
    .bss
    .align 2
buf:
    .space  32
