/* liblzma: xz at preset 6 (CPython's lzma default) and decoding, on a quarter
 * of the corpus. Usage: bench_lzma.wasm [short|full] */
#include <lzma.h>
#include "bench.h"

int main(int argc, char **argv) {
    struct bench_args a = bench_parse(argc, argv);
    size_t size = a.size / 4; /* preset 6 is slow: a quarter of the corpus */
    unsigned char *data = bench_corpus(size);
    size_t bound = lzma_stream_buffer_bound(size);
    unsigned char *comp = malloc(bound), *back = malloc(size);
    if (!data || !comp || !back) return 1;
    printf("liblzma %s, corpus %zu bytes\n", lzma_version_string(), size);
    size_t clen = 0;
    double best;
    BENCH_BEST(a.reps, best, {
        clen = 0;
        BENCH_CHECK(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, data, size, comp, &clen,
                                            bound) == LZMA_OK,
                    "encode");
    });
    bench_result("lzma", "compress-6", "MB", size / 1e6, best);
    printf("  ratio %.4f\n", (double)clen / size);
    BENCH_BEST(a.reps, best, {
        uint64_t limit = UINT64_MAX;
        size_t in_pos = 0;
        size_t out_pos = 0;
        BENCH_CHECK(lzma_stream_buffer_decode(&limit, 0, NULL, comp, &in_pos, clen, back,
                                              &out_pos, size) == LZMA_OK &&
                        out_pos == size,
                    "decode");
    });
    BENCH_CHECK(memcmp(back, data, size) == 0, "round trip");
    bench_result("lzma", "decompress", "MB", size / 1e6, best);
    return bench_failures ? 1 : 0;
}
