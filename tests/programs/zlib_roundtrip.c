/*
 * zlib round trip for a WASI build of CPython's external libraries.
 *
 * Builds ~384 KiB of deterministic, mixed data (random bytes, repeated
 * text, runs), compresses it with compress2() at levels 1, 6 and 9,
 * uncompresses each and compares byte for byte; checks crc32()/adler32()
 * against plain C implementations; checks that corrupted input is
 * rejected; checks that the header and the library agree on the version.
 *
 * Usage: zlib_roundtrip.wasm [EXPECTED_VERSION]
 * Exit 0 and one summary line on success; a message on stderr and exit 1
 * on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define PROGRAM "zlib_roundtrip"
#include "roundtrip.h"

#define DATA_SIZE (384u * 1024u)

/* Words for the text segments of the test data. */
static const char *const words[8] = {"wasi", "cpython", "zlib", "deflate", "inflate",
                                     "the quick brown fox", "jumps over", "the lazy dog"};

static uint32_t crc32_plain(const unsigned char *p, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static uint32_t adler32_plain(const unsigned char *p, size_t n) {
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < n; i++) {
        a = (a + p[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    return (b << 16) | a;
}

int main(int argc, char **argv) {
    const char *version = zlibVersion();
    const char *expected = expected_version(argc, argv);
    CHECK(strcmp(version, ZLIB_VERSION) == 0,
          "zlibVersion() is %s but zlib.h says %s", version, ZLIB_VERSION);
    if (expected)
        CHECK(strcmp(version, expected) == 0, "zlibVersion() is %s, expected %s", version, expected);

    unsigned char *data = malloc(DATA_SIZE);
    uLong bound = compressBound(DATA_SIZE);
    unsigned char *comp = malloc(bound);
    unsigned char *back = malloc(DATA_SIZE);
    if (!data || !comp || !back) {
        fprintf(stderr, PROGRAM ": FAIL: out of memory\n");
        return 1;
    }
    fill(data, DATA_SIZE, 12345u, words, 200);

    uLong crc = crc32(crc32(0L, Z_NULL, 0), data, DATA_SIZE);
    uLong adler = adler32(adler32(0L, Z_NULL, 0), data, DATA_SIZE);
    CHECK(crc == crc32_plain(data, DATA_SIZE), "crc32() = %08lx, plain C = %08lx",
          (unsigned long)crc, (unsigned long)crc32_plain(data, DATA_SIZE));
    CHECK(adler == adler32_plain(data, DATA_SIZE), "adler32() = %08lx, plain C = %08lx",
          (unsigned long)adler, (unsigned long)adler32_plain(data, DATA_SIZE));

    static const int levels[] = {1, 6, 9};
    uLong size6 = 0;
    for (int l = 0; l < 3; l++) {
        uLongf clen = bound;
        int rc = compress2(comp, &clen, data, DATA_SIZE, levels[l]);
        CHECK(rc == Z_OK, "compress2(level %d) returned %d", levels[l], rc);
        if (rc != Z_OK) continue;
        CHECK(clen < DATA_SIZE * 9 / 10 && clen > DATA_SIZE / 20,
              "level %d: implausible compressed size %lu of %u", levels[l],
              (unsigned long)clen, DATA_SIZE);
        if (levels[l] == 6) size6 = clen;

        memset(back, 0, DATA_SIZE);
        uLongf blen = DATA_SIZE;
        rc = uncompress(back, &blen, comp, clen);
        CHECK(rc == Z_OK, "uncompress(level %d data) returned %d", levels[l], rc);
        CHECK(blen == DATA_SIZE, "level %d: uncompressed %lu bytes, expected %u", levels[l],
              (unsigned long)blen, DATA_SIZE);
        if (rc == Z_OK && blen == DATA_SIZE)
            CHECK(memcmp(back, data, DATA_SIZE) == 0, "level %d: data differs at offset %zu",
                  levels[l], first_diff(back, data, DATA_SIZE));

        if (levels[l] == 6 && rc == Z_OK) {
            /* Corrupt one byte in the middle: the Adler-32 trailer (or the
             * deflate decoder) must reject it. */
            comp[clen / 2] ^= 0x55;
            blen = DATA_SIZE;
            rc = uncompress(back, &blen, comp, clen);
            CHECK(rc != Z_OK, "corrupted stream was accepted");
            comp[clen / 2] ^= 0x55;
            /* Truncated input must be reported. */
            blen = DATA_SIZE;
            rc = uncompress(back, &blen, comp, clen - 10);
            CHECK(rc != Z_OK, "truncated stream was accepted (rc %d)", rc);
        }
    }

    free(data);
    free(comp);
    free(back);
    if (any_failed())
        return 1;
    printf("zlib %s OK: %u bytes -> %lu (level 6) -> %u, crc32 %08lx, levels 1/6/9 round trip\n",
           version, DATA_SIZE, (unsigned long)size6, DATA_SIZE, (unsigned long)crc);
    return 0;
}
