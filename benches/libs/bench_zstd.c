/* zstd: ZSTD_compress at level 3 (the default) and decompression, on the
 * corpus. Usage: bench_zstd.wasm [short|full] */
#include <zstd.h>
#include "bench.h"

int main(int argc, char **argv) {
    struct bench_args a = bench_parse(argc, argv);
    unsigned char *data = bench_corpus(a.size);
    size_t bound = ZSTD_compressBound(a.size);
    unsigned char *comp = malloc(bound), *back = malloc(a.size);
    if (!data || !comp || !back) return 1;
    printf("zstd %s, corpus %zu bytes\n", ZSTD_versionString(), a.size);
    size_t clen = 0;
    double best;
    BENCH_BEST(a.reps, best, {
        clen = ZSTD_compress(comp, bound, data, a.size, 3);
        BENCH_CHECK(!ZSTD_isError(clen), "compress");
    });
    bench_result("zstd", "compress-3", "MB", a.size / 1e6, best);
    printf("  ratio %.4f\n", (double)clen / a.size);
    BENCH_BEST(a.reps, best, {
        size_t n = ZSTD_decompress(back, a.size, comp, clen);
        BENCH_CHECK(n == a.size, "decompress");
    });
    BENCH_CHECK(memcmp(back, data, a.size) == 0, "round trip");
    bench_result("zstd", "decompress", "MB", a.size / 1e6, best);
    return bench_failures ? 1 : 0;
}
