/* ECALL must stop the core: the testbench reports HALT. Nothing after the
 * ECALL may run, so the FAIL store behind it must never reach memory. */
#include "test_macros.h"
    TEST_BEGIN
    li      a0, 3
    addi    a0, a0, 4
    ecall
    li      t0, 3                /* FAIL code 1 if execution continues */
    li      t1, TOHOST
    sw      t0, 0(t1)
1:  j       1b
