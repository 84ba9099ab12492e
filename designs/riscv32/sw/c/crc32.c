/* CRC-32 (IEEE 802.3, reflected, as zlib.crc32) over LEN pseudo-random bytes
 * with a table built at run time; compared against EXPECTED from the host. */
#include "common.h"

#ifndef SEED
#define SEED 0xC0FFEE01u
#endif
#ifndef LEN
#define LEN 512
#endif

static u32 table[256];
static u8 buffer[LEN];

static void make_table(void)
{
    for (u32 n = 0; n < 256; n++) {
        u32 c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
}

static u32 crc32(const u8 *p, int len)
{
    u32 c = 0xFFFFFFFFu;
    for (int i = 0; i < len; i++)
        c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

int main(void)
{
    u32 state = SEED;
    for (int i = 0; i < LEN; i++)
        buffer[i] = (u8)(xorshift32(&state) >> 24);

    make_table();
    if (table[1] != 0x77073096u)
        return 1;
    if (crc32((const u8 *)"123456789", 9) != 0xCBF43926u)
        return 2;
#ifdef EXPECTED
    if (crc32(buffer, LEN) != (u32)(EXPECTED))
        return 3;
#endif
    return 0;
}
