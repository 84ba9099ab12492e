/* Minimal memcpy/memset for freestanding builds. */
#include "common.h"

void *memcpy(void *dst, const void *src, unsigned long n)
{
    u8 *d = dst;
    const u8 *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int value, unsigned long n)
{
    u8 *d = dst;
    while (n--)
        *d++ = (u8)value;
    return dst;
}
