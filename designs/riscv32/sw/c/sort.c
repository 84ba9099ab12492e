/* Sort N pseudo-random signed words (quicksort with insertion sort for short
 * runs), check the order, and compare a position-weighted checksum of the
 * sorted array against EXPECTED, which the host computes from SEED. */
#include "common.h"

#ifndef SEED
#define SEED 0x12345678u
#endif
#ifndef N
#define N 200
#endif

static i32 data[N];

static void insertion_sort(i32 *a, int lo, int hi)
{
    for (int i = lo + 1; i <= hi; i++) {
        i32 v = a[i];
        int j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void quicksort(i32 *a, int lo, int hi)
{
    while (hi - lo > 8) {
        i32 pivot = a[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                i32 t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        /* recurse into the smaller part to bound the stack */
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
    insertion_sort(a, lo, hi);
}

int main(void)
{
    u32 state = SEED;
    for (int i = 0; i < N; i++)
        data[i] = (i32)xorshift32(&state);

    quicksort(data, 0, N - 1);

    for (int i = 1; i < N; i++)
        if (data[i - 1] > data[i])
            return 1;

    u32 sum = 0;
    for (int i = 0; i < N; i++)
        sum += (u32)data[i] * (u32)(i + 1);
#ifdef EXPECTED
    if (sum != (u32)(EXPECTED))
        return 2;
#endif
    return 0;
}
