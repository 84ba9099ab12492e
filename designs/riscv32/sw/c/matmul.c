/* Signed integer matrix multiply C = A * B (DIM x DIM), entries from the
 * PRNG in [-128, 127]; checks a checksum against EXPECTED from the host and
 * exercises MUL plus DIV/REM on a derived value. */
#include "common.h"

#ifndef SEED
#define SEED 0x0BADC0DEu
#endif
#ifndef DIM
#define DIM 12
#endif

static i32 a[DIM][DIM], b[DIM][DIM], c[DIM][DIM];

int main(void)
{
    u32 state = SEED;
    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++)
            a[i][j] = (i32)(xorshift32(&state) & 0xFF) - 128;
    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++)
            b[i][j] = (i32)(xorshift32(&state) & 0xFF) - 128;

    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++) {
            i32 acc = 0;
            for (int k = 0; k < DIM; k++)
                acc += a[i][k] * b[k][j];
            c[i][j] = acc;
        }

    /* checksum: sum of c[i][j] * (i*DIM + j + 1), then mixed with a
     * signed quotient and remainder so DIV/REM results are checked too */
    u32 sum = 0;
    i32 trace = 0;
    for (int i = 0; i < DIM; i++) {
        trace += c[i][i];
        for (int j = 0; j < DIM; j++)
            sum += (u32)c[i][j] * (u32)(i * DIM + j + 1);
    }
    volatile i32 divisor = -7;
    sum ^= (u32)(trace / divisor) + (u32)(trace % divisor);
#ifdef EXPECTED
    if (sum != (u32)(EXPECTED))
        return 2;
#endif
    return 0;
}
