/* Shared helpers for the freestanding C test programs (no libc). */
#ifndef RV_COMMON_H
#define RV_COMMON_H

typedef unsigned int  u32;
typedef int           i32;
typedef unsigned char u8;

/* xorshift32: the host recomputes the same sequence to derive expected results */
static inline u32 xorshift32(u32 *state)
{
    u32 x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* gcc may emit calls to these for struct copies and array initialisers */
void *memcpy(void *dst, const void *src, unsigned long n);
void *memset(void *dst, int value, unsigned long n);

#endif
