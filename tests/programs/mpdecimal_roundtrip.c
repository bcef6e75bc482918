/*
 * libmpdec round trip for a WASI build of CPython's external libraries.
 *
 * Computes results whose exact decimal strings are known and compares the
 * strings: 1/7 and 1/3 at 28 digits (as Python's decimal module does by
 * default), 1.1 * 1.1, 2**100, sqrt(2) at 50 digits, (10**8000 - 1)**2
 * (large enough for the number-theoretic-transform multiplication) and
 * its quotient by (10**8000 - 1), and 1/0 (Infinity with
 * Division_by_zero). Also checks the status flags and
 * that the header and the library agree on the version.
 *
 * Usage: mpdecimal_roundtrip.wasm [EXPECTED_VERSION]
 * Exit 0 and one summary line on success; a message on stderr and exit 1
 * on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mpdecimal.h>

#define PROGRAM "mpdecimal_roundtrip"
#include "roundtrip.h"

/*
 * N for the (10**N - 1)**2 check. 8000 digits (889 32-bit words) makes the
 * 1778-word product go through the number-theoretic transform
 * (_mpd_fntmul, transform length 2048) with little stack. Products whose
 * transform needs libmpdec's matrix transposes (e.g. N = 5000 or >= 10000)
 * use ~70-80 KiB of stack (two 16 KiB buffers in squaretrans_pow2 alone),
 * more than wasm-ld's default 64 KiB: build those with a bigger stack, e.g.
 * -DBIG_DIGITS=20000 -Wl,-z,stack-size=1048576 (CPython's WASI build sets
 * its own stack size). Without --stack-first an overflow silently
 * overwrites static data (here: libmpdec's allocator pointers).
 */
#ifndef BIG_DIGITS
#define BIG_DIGITS 8000
#endif

static mpd_t *num(const char *s, const mpd_context_t *ctx) {
    uint32_t status = 0;
    mpd_t *d = mpd_qnew();
    if (!d) {
        fprintf(stderr, PROGRAM ": FAIL: mpd_qnew: out of memory\n");
        exit(1);
    }
    mpd_qset_string(d, s, ctx, &status);
    if (status & (MPD_Conversion_syntax | MPD_Malloc_error)) {
        fprintf(stderr, PROGRAM ": FAIL: mpd_qset_string(\"%.40s\") status 0x%x\n", s,
                (unsigned)status);
        exit(1);
    }
    return d;
}

/* Compare mpd_to_sci(D) with WANT; check the status has the flags in
 * MUST and none in MUST_NOT. */
static void expect(const char *what, const mpd_t *d, uint32_t status, const char *want,
                   uint32_t must, uint32_t must_not) {
    char *got = mpd_to_sci(d, 0);
    if (!got) {
        fprintf(stderr, PROGRAM ": FAIL: %s: mpd_to_sci: out of memory\n", what);
        exit(1);
    }
    if (strlen(want) <= 80)
        CHECK(strcmp(got, want) == 0, "%s = %s, expected %s", what, got, want);
    else
        CHECK(strcmp(got, want) == 0, "%s: %zu-character result differs from the expected %zu characters (starts %.30s...)",
              what, strlen(got), strlen(want), got);
    CHECK((status & must) == must, "%s: status 0x%x lacks 0x%x", what, (unsigned)status,
          (unsigned)must);
    CHECK((status & must_not) == 0, "%s: status 0x%x has unexpected 0x%x", what, (unsigned)status,
          (unsigned)(status & must_not));
    mpd_free(got);
}

int main(int argc, char **argv) {
    const char *version = mpd_version();
    const char *expected = expected_version(argc, argv);
    CHECK(strcmp(version, MPD_VERSION) == 0, "mpd_version() is %s but mpdecimal.h says %s",
          version, MPD_VERSION);
    if (expected)
        CHECK(strcmp(version, expected) == 0, "mpd_version() is %s, expected %s", version, expected);

    /* mpd_init() also sets the library-wide MPD_MINALLOC, which may only
     * be done once per process: derive the other contexts by copying. */
    mpd_context_t ctx28, ctx50, maxctx, bigctx;
    mpd_init(&ctx28, 28); /* Python's decimal.DefaultContext precision */
    ctx50 = ctx28;
    mpd_maxcontext(&maxctx);
    /* Division in maxctx would compute MPD_MAX_PREC digits (425 million on
     * 32-bit wasm) before trimming: use just enough precision instead. */
    bigctx = maxctx;
    if (!mpd_qsetprec(&ctx50, 50) || !mpd_qsetprec(&bigctx, 2 * BIG_DIGITS + 10)) {
        fprintf(stderr, PROGRAM ": FAIL: mpd_qsetprec refused\n");
        return 1;
    }
    uint32_t status;
    const uint32_t inexact = MPD_Inexact | MPD_Rounded;
    const uint32_t bad = MPD_IEEE_Invalid_operation | MPD_Division_by_zero | MPD_Overflow |
                         MPD_Underflow | MPD_Malloc_error;

    mpd_t *one = num("1", &ctx28), *three = num("3", &ctx28), *seven = num("7", &ctx28);
    mpd_t *zero = num("0", &ctx28), *two = num("2", &ctx28), *hundred = num("100", &ctx28);
    mpd_t *r = mpd_qnew();

    status = 0;
    mpd_qdiv(r, one, seven, &ctx28, &status);
    expect("1/7 (28 digits)", r, status, "0.1428571428571428571428571429", inexact, bad);

    status = 0;
    mpd_qdiv(r, one, three, &ctx28, &status);
    expect("1/3 (28 digits)", r, status, "0.3333333333333333333333333333", inexact, bad);

    mpd_t *x = num("1.1", &ctx28);
    status = 0;
    mpd_qmul(r, x, x, &ctx28, &status);
    expect("1.1 * 1.1", r, status, "1.21", 0, bad | inexact);

    status = 0;
    mpd_qpow(r, two, hundred, &maxctx, &status);
    expect("2**100", r, status, "1267650600228229401496703205376", 0, bad | MPD_Inexact);

    status = 0;
    mpd_qsqrt(r, two, &ctx50, &status);
    expect("sqrt(2) (50 digits)", r, status, "1.4142135623730950488016887242096980785696718753769",
           inexact, bad);

    status = 0;
    mpd_qdiv(r, one, zero, &ctx28, &status);
    expect("1/0", r, status, "Infinity", MPD_Division_by_zero, 0);
    CHECK(mpd_isinfinite(r), "1/0 is not infinite");

    /* (10**N - 1)**2 = 10**(2N) - 2*10**N + 1 = 9...9 8 0...0 1 */
    char *nines = malloc(BIG_DIGITS + 1), *want = malloc(2 * BIG_DIGITS + 1);
    if (!nines || !want) {
        fprintf(stderr, PROGRAM ": FAIL: out of memory\n");
        return 1;
    }
    memset(nines, '9', BIG_DIGITS);
    nines[BIG_DIGITS] = '\0';
    memset(want, '9', BIG_DIGITS - 1);
    want[BIG_DIGITS - 1] = '8';
    memset(want + BIG_DIGITS, '0', BIG_DIGITS - 1);
    want[2 * BIG_DIGITS - 1] = '1';
    want[2 * BIG_DIGITS] = '\0';
    mpd_t *big = num(nines, &maxctx);
    status = 0;
    mpd_qmul(r, big, big, &bigctx, &status);
    expect("(10**N - 1)**2", r, status, want, 0, bad | inexact);
    /* and back: the square divided by the factor is exact */
    mpd_t *q = mpd_qnew();
    status = 0;
    mpd_qdiv(q, r, big, &bigctx, &status);
    expect("(10**N - 1)**2 / (10**N - 1)", q, status, nines, 0, bad | inexact);

    mpd_del(one); mpd_del(three); mpd_del(seven); mpd_del(zero); mpd_del(two);
    mpd_del(hundred); mpd_del(x); mpd_del(big); mpd_del(q); mpd_del(r);
    free(nines);
    free(want);

    if (any_failed())
        return 1;
    printf("mpdecimal %s OK: 1/7 = 0.1428571428571428571428571429, 1.1*1.1 = 1.21, "
           "2**100 = 1267650600228229401496703205376, sqrt(2)@50, %d-digit square and quotient (%d checks)\n",
           version, 2 * BIG_DIGITS, checks);
    return 0;
}
