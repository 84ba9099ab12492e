/* Start-up code for the C programs: stack, .bss, main(), then report.
 * main() returns 0 for success or a nonzero failure code; the result goes to
 * the testbench's tohost word as 1 (PASS) or (code << 1) | 1 (FAIL). */
    .section .text.init
    .globl _start
_start:
    la      sp, __stack_top
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sw      zero, 0(t0)
    addi    t0, t0, 4
    j       1b
2:  call    main
    li      t0, 1
    beqz    a0, 3f
    slli    a0, a0, 1
    or      t0, a0, t0
3:  li      t1, 0xFFFFFFF0
    sw      t0, 0(t1)
4:  j       4b
