/*
 * bzip2 round trip for a WASI build of CPython's external libraries.
 *
 * Builds ~384 KiB of deterministic, mixed data (random bytes, repeated
 * text, runs), compresses it with BZ2_bzBuffToBuffCompress() at block
 * sizes 1 and 9, decompresses it with BZ2_bzBuffToBuffDecompress() in
 * normal and "small" mode and compares byte for byte; checks that
 * corrupted and truncated input is rejected.
 *
 * Usage: bzip2_roundtrip.wasm [EXPECTED_VERSION]
 * (EXPECTED_VERSION is compared with the part of BZ2_bzlibVersion() before
 * the first comma, e.g. "1.0.8".)
 * Exit 0 and one summary line on success; a message on stderr and exit 1
 * on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bzlib.h>

#define PROGRAM "bzip2_roundtrip"
#include "roundtrip.h"

#define DATA_SIZE (384u * 1024u)

/* Words for the text segments of the test data. */
static const char *const words[8] = {"wasi", "cpython", "bzip2", "burrows", "wheeler",
                                     "the quick brown fox", "jumps over", "the lazy dog"};

int main(int argc, char **argv) {
    const char *version = BZ2_bzlibVersion();
    const char *expected = expected_version(argc, argv);
    size_t vlen = strcspn(version, ",");
    if (expected)
        CHECK(strlen(expected) == vlen && strncmp(version, expected, vlen) == 0,
              "BZ2_bzlibVersion() is \"%s\", expected %s", version, expected);

    unsigned int bound = DATA_SIZE + DATA_SIZE / 100 + 600; /* documented worst case */
    char *data = malloc(DATA_SIZE);
    char *comp = malloc(bound);
    char *back = malloc(DATA_SIZE);
    if (!data || !comp || !back) {
        fprintf(stderr, PROGRAM ": FAIL: out of memory\n");
        return 1;
    }
    /* runs of up to 300 bytes exercise bzip2's run-length stage */
    fill((unsigned char *)data, DATA_SIZE, 4242u, words, 300);

    static const int blocks[] = {1, 9};
    unsigned int size9 = 0;
    for (int b = 0; b < 2; b++) {
        unsigned int clen = bound;
        int rc = BZ2_bzBuffToBuffCompress(comp, &clen, data, DATA_SIZE, blocks[b], 0, 0);
        CHECK(rc == BZ_OK, "BZ2_bzBuffToBuffCompress(blockSize100k %d) returned %d", blocks[b], rc);
        if (rc != BZ_OK) continue;
        CHECK(clen < DATA_SIZE * 9 / 10 && clen > DATA_SIZE / 20,
              "block size %d: implausible compressed size %u of %u", blocks[b], clen, DATA_SIZE);
        if (blocks[b] == 9) size9 = clen;

        for (int small = 0; small <= 1; small++) {
            memset(back, 0, DATA_SIZE);
            unsigned int blen = DATA_SIZE;
            rc = BZ2_bzBuffToBuffDecompress(back, &blen, comp, clen, small, 0);
            CHECK(rc == BZ_OK, "BZ2_bzBuffToBuffDecompress(block %d, small %d) returned %d",
                  blocks[b], small, rc);
            CHECK(blen == DATA_SIZE, "block %d small %d: decompressed %u bytes, expected %u",
                  blocks[b], small, blen, DATA_SIZE);
            if (rc == BZ_OK && blen == DATA_SIZE)
                CHECK(memcmp(back, data, DATA_SIZE) == 0,
                      "block %d small %d: data differs at offset %zu", blocks[b], small,
                      first_diff(back, data, DATA_SIZE));
        }

        if (blocks[b] == 9) {
            /* A flipped byte must fail the block CRC (or the decoder). */
            comp[clen / 2] ^= 0x55;
            unsigned int blen = DATA_SIZE;
            rc = BZ2_bzBuffToBuffDecompress(back, &blen, comp, clen, 0, 0);
            CHECK(rc != BZ_OK, "corrupted stream was accepted");
            comp[clen / 2] ^= 0x55;
            /* Cut in half: the data ends early. */
            blen = DATA_SIZE;
            rc = BZ2_bzBuffToBuffDecompress(back, &blen, comp, clen / 2, 0, 0);
            CHECK(rc == BZ_UNEXPECTED_EOF, "half stream: expected BZ_UNEXPECTED_EOF, got %d", rc);
            /* Cut inside the end-of-stream trailer: all data fits, but the
             * stream does not end; bzlib reports BZ_OUTBUFF_FULL then. */
            blen = DATA_SIZE;
            rc = BZ2_bzBuffToBuffDecompress(back, &blen, comp, clen - 5, 0, 0);
            CHECK(rc != BZ_OK, "stream without its trailer was accepted");
            /* An output buffer one byte too small must be reported. */
            blen = DATA_SIZE - 1;
            rc = BZ2_bzBuffToBuffDecompress(back, &blen, comp, clen, 0, 0);
            CHECK(rc == BZ_OUTBUFF_FULL, "short output buffer: expected BZ_OUTBUFF_FULL, got %d", rc);
        }
    }

    free(data);
    free(comp);
    free(back);
    if (any_failed())
        return 1;
    printf("bzip2 %.*s OK: %u bytes -> %u (block size 9) -> %u, block sizes 1/9, small 0/1 round trip (%s)\n",
           (int)vlen, version, DATA_SIZE, size9, DATA_SIZE, version);
    return 0;
}
