/*
 * Shared by the library micro-benchmarks (scripts/bench-libs.sh): a monotonic
 * clock, a deterministic text-like corpus, best-of-N timing and the result
 * line the script reads.
 *
 * Result lines, one per measurement, tab-separated:
 *   RESULT <library> <operation> <unit> <amount> <seconds>
 * (the fastest of the repetitions: the machine may be shared, and the fastest
 * run is the one least disturbed). Everything else on stdout is for people.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t bench_state = 0x9e3779b97f4a7c15ull;
static uint32_t bench_rand(void) {
    bench_state ^= bench_state << 13;
    bench_state ^= bench_state >> 7;
    bench_state ^= bench_state << 17;
    return (uint32_t)(bench_state >> 16);
}

/* A corpus file (argv[2], as the module sees it), or NULL for the generated one. */
static const char *bench_corpus_path = NULL;

/* `size` bytes of the corpus file, read round and round when it is shorter. */
static unsigned char *bench_corpus_from_file(size_t size) {
    FILE *f = fopen(bench_corpus_path, "rb");
    unsigned char *buf = f ? malloc(size) : NULL;
    size_t n = 0;
    while (buf && n < size) {
        size_t got = fread(buf + n, 1, size - n, f);
        if (got == 0 && (n == 0 || fseek(f, 0, SEEK_SET) != 0)) break;
        n += got;
    }
    if (f) fclose(f);
    if (n < size) {
        fprintf(stderr, "FAIL: cannot read %zu bytes of corpus %s\n", size, bench_corpus_path);
        exit(2);
    }
    return buf;
}

/* A text-like corpus of `size` bytes: lines of words drawn with a skewed
 * (roughly Zipf-like) frequency from a generated vocabulary, with numbers and
 * punctuation, and now and then a phrase repeated from the last few KiB, so
 * compressors see something like prose or source code (deflate level 6
 * keeps about a third). The same bytes in every program and every run. */
static unsigned char *bench_corpus(size_t size) {
    enum { VOCAB = 2048 };
    static char words[VOCAB][16];
    bench_state = 0x9e3779b97f4a7c15ull;
    for (int w = 0; w < VOCAB; w++) {
        int len = 1 + (int)(bench_rand() % 5) + (int)(bench_rand() % 5);
        for (int i = 0; i < len; i++) words[w][i] = (char)('a' + bench_rand() % 26);
        words[w][len] = '\0';
    }
    if (bench_corpus_path) return bench_corpus_from_file(size);
    unsigned char *buf = malloc(size);
    if (!buf) return NULL;
    size_t n = 0;
    int col = 0;
    while (n < size) {
        char piece[48];
        uint32_t r = bench_rand();
        int len;
        if (r % 5 == 0 && n > 64) {
            /* A phrase seen recently: what LZ77 finds in real text. */
            size_t back = 16 + bench_rand() % (n < 8192 ? n - 16 : 8192);
            size_t from = n - back;
            len = 12 + (int)(bench_rand() % 36);
            for (int i = 0; i < len && n < size; i++) buf[n++] = buf[from + i];
            col += len;
            continue;
        }
        if (r % 23 == 0) {
            len = snprintf(piece, sizeof piece, "%u", bench_rand() % 100000);
        } else {
            /* Cubing a uniform index skews towards the first words. */
            uint64_t u = bench_rand() % VOCAB;
            len = snprintf(piece, sizeof piece, "%s", words[(u * u * u) / ((uint64_t)VOCAB * VOCAB)]);
        }
        const char *sep = (r % 17 == 0) ? ", " : (r % 29 == 0) ? ". " : " ";
        if (col > 72) { sep = "\n"; col = 0; }
        for (int i = 0; i < len && n < size; i++) buf[n++] = (unsigned char)piece[i];
        for (const char *s = sep; *s && n < size; s++) buf[n++] = (unsigned char)*s;
        col += len + 1;
    }
    return buf;
}

static int bench_failures = 0;
#define BENCH_CHECK(cond, ...)                                   \
    do {                                                         \
        if (!(cond)) {                                           \
            fprintf(stderr, "FAIL: " __VA_ARGS__);               \
            fputc('\n', stderr);                                 \
            bench_failures++;                                    \
        }                                                        \
    } while (0)

/* Corpus size and repetitions from argv[1]: `short` (CI) or `full`; argv[2],
 * when given, is a corpus file to use instead of the generated text. */
struct bench_args {
    size_t size;
    int reps;
};
static struct bench_args bench_parse(int argc, char **argv) {
    struct bench_args a = {16u << 20, 3};
    if (argc > 1 && strcmp(argv[1], "short") == 0) {
        a.size = 2u << 20;
        a.reps = 2;
    }
    if (argc > 2) bench_corpus_path = argv[2];
    return a;
}

static void bench_result(const char *lib, const char *op, const char *unit, double amount,
                         double seconds) {
    printf("RESULT\t%s\t%s\t%s\t%.6g\t%.6f\n", lib, op, unit, amount, seconds);
    fflush(stdout);
}

/* Times `body` `reps` times; the fastest run in seconds. */
#define BENCH_BEST(reps, best, body)                             \
    do {                                                         \
        best = 1e30;                                             \
        for (int rep_ = 0; rep_ < (reps); rep_++) {              \
            double t0_ = bench_now();                            \
            body;                                                \
            double t_ = bench_now() - t0_;                       \
            if (t_ < best) best = t_;                            \
        }                                                        \
    } while (0)

#endif
