/* mpdecimal: decimal arithmetic as CPython's decimal does it: a loop of
 * multiply/add/divide at 28 digits (the default context), and big
 * multiplications and a square root at 2000 digits.
 * Usage: bench_mpdec.wasm [short|full] */
#include <mpdecimal.h>
#include "bench.h"

int main(int argc, char **argv) {
    struct bench_args a = bench_parse(argc, argv);
    int ops = (int)(a.size / 16); /* 1 Mi full, 128 Ki short */
    mpd_context_t ctx;
    uint32_t status = 0;
    mpd_defaultcontext(&ctx);
    ctx.prec = 28;
    printf("mpdecimal %s, %d operations\n", mpd_version(), ops);
    mpd_t *x = mpd_qnew(), *y = mpd_qnew(), *acc = mpd_qnew(), *t = mpd_qnew();
    double best;
    BENCH_BEST(a.reps, best, {
        mpd_qset_string(acc, "0", &ctx, &status);
        mpd_qset_string(x, "1.000001", &ctx, &status);
        for (int i = 0; i < ops / 3; i++) {
            mpd_qset_i32(y, i + 7, &ctx, &status);
            mpd_qmul(t, x, y, &ctx, &status);
            mpd_qadd(acc, acc, t, &ctx, &status);
            mpd_qdiv(t, acc, y, &ctx, &status);
        }
    });
    BENCH_CHECK(!(status & MPD_Errors), "status %u", (unsigned)status);
    bench_result("mpdecimal", "arith-28", "ops", (double)(ops / 3) * 3, best);

    ctx.prec = 2000;
    int big = ops / 512;
    BENCH_BEST(a.reps, best, {
        mpd_qset_string(x, "2", &ctx, &status);
        mpd_qsqrt(x, x, &ctx, &status);
        for (int i = 0; i < big; i++) mpd_qmul(t, x, x, &ctx, &status);
    });
    char *s = mpd_to_sci(t, 0);
    BENCH_CHECK(s && strncmp(s, "2.000000000", 11) == 0 || s && strncmp(s, "1.999999999", 11) == 0,
                "sqrt(2)^2 = %.20s", s ? s : "?");
    mpd_free(s);
    bench_result("mpdecimal", "mul-2000", "ops", big, best);
    mpd_del(x); mpd_del(y); mpd_del(acc); mpd_del(t);
    return bench_failures ? 1 : 0;
}
