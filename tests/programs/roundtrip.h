/*
 * Code shared by the *_roundtrip.c programs: the failure-counting CHECK
 * macro and its verdict, the optional EXPECTED_VERSION argument, and the
 * deterministic test data of the compression round trips. A header, not a
 * library, so that each program still builds from its one .c file with one
 * command.
 *
 * Define PROGRAM (e.g. "zlib_roundtrip") before including this: it starts
 * every failure message.
 */
#ifndef ROUNDTRIP_H
#define ROUNDTRIP_H

#ifndef PROGRAM
#error "define PROGRAM before including roundtrip.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int failures = 0; /* CHECKs that failed */
static int checks = 0;   /* CHECKs evaluated */

/* If COND is false: print "PROGRAM: FAIL: " and the printf-style message
 * (its format a string literal) on stderr, and count a failure. */
#define CHECK(cond, ...)                                         \
    do {                                                         \
        checks++;                                                \
        if (!(cond)) {                                           \
            fprintf(stderr, PROGRAM ": FAIL: " __VA_ARGS__);     \
            fputc('\n', stderr);                                 \
            failures++;                                          \
        }                                                        \
    } while (0)

/* Whether any CHECK failed; if so, says how many on stderr. A program
 * returns 1 then, before printing its OK line. */
static inline int any_failed(void) {
    if (failures)
        fprintf(stderr, PROGRAM ": %d of %d check(s) failed\n", failures, checks);
    return failures != 0;
}

/* The optional EXPECTED_VERSION argument, or NULL; exit 2 on more. */
static inline const char *expected_version(int argc, char **argv) {
    if (argc > 2) {
        fprintf(stderr, "usage: %s [EXPECTED_VERSION]\n", argv[0]);
        exit(2);
    }
    return argc == 2 ? argv[1] : NULL;
}

/* Linear congruential generator (glibc's constants); the high 24 bits. */
static inline uint32_t lcg(uint32_t *state) {
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

/* N bytes of test data, fixed by SEED, WORDS and MAX_RUN: 4 KiB segments
 * cycling through four kinds of content. */
static inline void fill(unsigned char *buf, size_t n, uint32_t seed,
                        const char *const words[8], unsigned max_run) {
    size_t i = 0, seg = 0;
    while (i < n) {
        size_t end = i + 4096 < n ? i + 4096 : n;
        switch (seg++ % 4) {
        case 0: /* incompressible */
            while (i < end) buf[i++] = (unsigned char)lcg(&seed);
            break;
        case 1: { /* repeated text with a counter */
            char line[64];
            while (i < end) {
                /* two statements: argument evaluation order is unspecified */
                const char *w1 = words[lcg(&seed) % 8];
                const char *w2 = words[lcg(&seed) % 8];
                int len = snprintf(line, sizeof line, "line %zu: %s %s\n", i, w1, w2);
                for (int k = 0; k < len && i < end; k++) buf[i++] = (unsigned char)line[k];
            }
            break;
        }
        case 2: /* runs of 1..MAX_RUN equal bytes */
            while (i < end) {
                unsigned char c = (unsigned char)lcg(&seed);
                size_t run = 1 + lcg(&seed) % max_run;
                while (run-- && i < end) buf[i++] = c;
            }
            break;
        default: /* small alphabet */
            while (i < end) buf[i++] = (unsigned char)("ACGT"[lcg(&seed) % 4]);
        }
    }
}

/* Offset of the first byte where A and B differ, or N. */
static inline size_t first_diff(const void *a, const void *b, size_t n) {
    const unsigned char *p = a, *q = b;
    for (size_t i = 0; i < n; i++)
        if (p[i] != q[i]) return i;
    return n;
}

#endif /* ROUNDTRIP_H */
