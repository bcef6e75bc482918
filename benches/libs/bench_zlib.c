/* zlib: compress2() at levels 1, 6 and 9 and uncompress() of each, on the
 * corpus. Usage: bench_zlib.wasm [short|full] */
#include <zlib.h>
#include "bench.h"

int main(int argc, char **argv) {
    struct bench_args a = bench_parse(argc, argv);
    unsigned char *data = bench_corpus(a.size);
    uLong bound = compressBound(a.size);
    unsigned char *comp = malloc(bound), *back = malloc(a.size);
    if (!data || !comp || !back) return 1;
    printf("zlib %s, corpus %zu bytes\n", zlibVersion(), a.size);
    static const int levels[] = {1, 6, 9};
    for (int l = 0; l < 3; l++) {
        char op[32];
        uLongf clen = 0;
        double best;
        BENCH_BEST(a.reps, best, {
            clen = bound;
            BENCH_CHECK(compress2(comp, &clen, data, a.size, levels[l]) == Z_OK, "compress2");
        });
        snprintf(op, sizeof op, "deflate-%d", levels[l]);
        bench_result("zlib", op, "MB", a.size / 1e6, best);
        printf("  level %d: ratio %.4f\n", levels[l], (double)clen / a.size);
        BENCH_BEST(a.reps, best, {
            uLongf blen = a.size;
            BENCH_CHECK(uncompress(back, &blen, comp, clen) == Z_OK && blen == a.size,
                        "uncompress");
        });
        BENCH_CHECK(memcmp(back, data, a.size) == 0, "level %d round trip", levels[l]);
        snprintf(op, sizeof op, "inflate-%d", levels[l]);
        bench_result("zlib", op, "MB", a.size / 1e6, best);
    }
    return bench_failures ? 1 : 0;
}
