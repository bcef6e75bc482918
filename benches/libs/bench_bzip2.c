/* bzip2: BZ2_bzBuffToBuffCompress at block size 9 and decompression, on the
 * corpus. Usage: bench_bzip2.wasm [short|full] */
#include <bzlib.h>
#include "bench.h"

int main(int argc, char **argv) {
    struct bench_args a = bench_parse(argc, argv);
    size_t size = a.size / 2; /* bzip2 is slow: half the corpus */
    unsigned char *data = bench_corpus(size);
    unsigned int bound = (unsigned int)(size + size / 100 + 600);
    char *comp = malloc(bound), *back = malloc(size);
    if (!data || !comp || !back) return 1;
    printf("bzip2 %s, corpus %zu bytes\n", BZ2_bzlibVersion(), size);
    unsigned int clen = 0;
    double best;
    BENCH_BEST(a.reps, best, {
        clen = bound;
        BENCH_CHECK(BZ2_bzBuffToBuffCompress(comp, &clen, (char *)data, size, 9, 0, 0) == BZ_OK,
                    "compress");
    });
    bench_result("bzip2", "compress-9", "MB", size / 1e6, best);
    printf("  ratio %.4f\n", (double)clen / size);
    BENCH_BEST(a.reps, best, {
        unsigned int blen = size;
        BENCH_CHECK(BZ2_bzBuffToBuffDecompress(back, &blen, comp, clen, 0, 0) == BZ_OK &&
                        blen == size,
                    "decompress");
    });
    BENCH_CHECK(memcmp(back, data, size) == 0, "round trip");
    bench_result("bzip2", "decompress", "MB", size / 1e6, best);
    return bench_failures ? 1 : 0;
}
