/*
 * xz/liblzma round trip for a WASI build of CPython's external libraries.
 *
 * Builds ~384 KiB of deterministic, mixed data (random bytes, repeated
 * text, runs), encodes it with lzma_easy_buffer_encode() (preset 6 with a
 * CRC64 check, and preset 1 with a CRC32 check), decodes it with
 * lzma_stream_buffer_decode() and compares byte for byte; checks
 * lzma_crc64()/lzma_crc32() against plain C implementations; checks that
 * corrupted/truncated input and a too-small memory limit are rejected;
 * checks that the header and the library agree on the version.
 *
 * Usage: xz_roundtrip.wasm [EXPECTED_VERSION]
 * Exit 0 and one summary line on success; a message on stderr and exit 1
 * on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lzma.h>

#define PROGRAM "xz_roundtrip"
#include "roundtrip.h"

#define DATA_SIZE (384u * 1024u)

/* Words for the text segments of the test data. */
static const char *const words[8] = {"wasi", "cpython", "xz", "lzma2", "liblzma",
                                     "the quick brown fox", "jumps over", "the lazy dog"};

static uint64_t crc64_plain(const uint8_t *p, size_t n) {
    uint64_t c = ~(uint64_t)0;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (UINT64_C(0xC96C5795D7870F42) & (0 - (c & 1)));
    }
    return ~c;
}

static uint32_t crc32_plain(const uint8_t *p, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return ~c;
}

/* Decode IN[0..in_size) into OUT; returns the lzma_ret, *out_pos the size. */
static lzma_ret decode(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_size,
                       size_t *out_pos, uint64_t memlimit, size_t *in_pos) {
    *in_pos = 0;
    *out_pos = 0;
    return lzma_stream_buffer_decode(&memlimit, 0, NULL, in, in_pos, in_size, out, out_pos,
                                     out_size);
}

int main(int argc, char **argv) {
    const char *version = lzma_version_string();
    const char *expected = expected_version(argc, argv);
    CHECK(lzma_version_number() == LZMA_VERSION,
          "lzma_version_number() is %u but lzma.h says %u (%s)",
          (unsigned)lzma_version_number(), (unsigned)LZMA_VERSION, LZMA_VERSION_STRING);
    if (expected)
        CHECK(strcmp(version, expected) == 0, "lzma_version_string() is %s, expected %s",
              version, expected);
    CHECK(lzma_check_is_supported(LZMA_CHECK_CRC64), "CRC64 check not supported");
    CHECK(lzma_check_is_supported(LZMA_CHECK_SHA256), "SHA-256 check not supported");

    size_t bound = lzma_stream_buffer_bound(DATA_SIZE);
    uint8_t *data = malloc(DATA_SIZE);
    uint8_t *comp = malloc(bound);
    uint8_t *back = malloc(DATA_SIZE);
    if (!data || !comp || !back || bound == 0) {
        fprintf(stderr, PROGRAM ": FAIL: out of memory\n");
        return 1;
    }
    fill(data, DATA_SIZE, 777u, words, 200);

    uint64_t crc64 = lzma_crc64(data, DATA_SIZE, 0);
    CHECK(crc64 == crc64_plain(data, DATA_SIZE), "lzma_crc64() = %016llx, plain C = %016llx",
          (unsigned long long)crc64, (unsigned long long)crc64_plain(data, DATA_SIZE));
    uint32_t crc32 = lzma_crc32(data, DATA_SIZE, 0);
    CHECK(crc32 == crc32_plain(data, DATA_SIZE), "lzma_crc32() = %08x, plain C = %08x",
          (unsigned)crc32, (unsigned)crc32_plain(data, DATA_SIZE));

    static const struct { uint32_t preset; lzma_check check; const char *name; } runs[] = {
        {6, LZMA_CHECK_CRC64, "preset 6/CRC64"},
        {1, LZMA_CHECK_CRC32, "preset 1/CRC32"},
    };
    size_t size6 = 0;
    for (int r = 0; r < 2; r++) {
        size_t clen = 0;
        lzma_ret rc = lzma_easy_buffer_encode(runs[r].preset, runs[r].check, NULL, data,
                                              DATA_SIZE, comp, &clen, bound);
        CHECK(rc == LZMA_OK, "%s: lzma_easy_buffer_encode returned %d", runs[r].name, (int)rc);
        if (rc != LZMA_OK) continue;
        CHECK(clen < DATA_SIZE * 9 / 10 && clen > DATA_SIZE / 20,
              "%s: implausible compressed size %zu of %u", runs[r].name, clen, DATA_SIZE);
        CHECK(memcmp(comp, "\xFD" "7zXZ\0", 6) == 0, "%s: no .xz magic", runs[r].name);
        if (r == 0) size6 = clen;

        memset(back, 0, DATA_SIZE);
        size_t in_pos, out_pos;
        rc = decode(comp, clen, back, DATA_SIZE, &out_pos, UINT64_MAX, &in_pos);
        CHECK(rc == LZMA_OK, "%s: lzma_stream_buffer_decode returned %d", runs[r].name, (int)rc);
        CHECK(in_pos == clen, "%s: decoder consumed %zu of %zu bytes", runs[r].name, in_pos, clen);
        CHECK(out_pos == DATA_SIZE, "%s: decoded %zu bytes, expected %u", runs[r].name, out_pos,
              DATA_SIZE);
        if (rc == LZMA_OK && out_pos == DATA_SIZE)
            CHECK(memcmp(back, data, DATA_SIZE) == 0, "%s: data differs at offset %zu",
                  runs[r].name, first_diff(back, data, DATA_SIZE));

        if (r == 0) {
            comp[clen / 2] ^= 0x55;
            rc = decode(comp, clen, back, DATA_SIZE, &out_pos, UINT64_MAX, &in_pos);
            CHECK(rc == LZMA_DATA_ERROR, "corrupted stream: expected LZMA_DATA_ERROR, got %d",
                  (int)rc);
            comp[clen / 2] ^= 0x55;
            /* Truncated input: the documentation says LZMA_DATA_ERROR, but
             * lzma_stream_buffer_decode() (5.4.1 to at least 5.8.1) restores
             * *in_pos before testing *in_pos == in_size and so reports
             * LZMA_BUF_ERROR. Either is a rejection. */
            for (int cut = 0; cut < 2; cut++) {
                size_t len = cut ? clen / 2 : clen - 10;
                rc = decode(comp, len, back, DATA_SIZE, &out_pos, UINT64_MAX, &in_pos);
                CHECK(rc == LZMA_DATA_ERROR || rc == LZMA_BUF_ERROR,
                      "stream truncated to %zu of %zu bytes: expected LZMA_DATA_ERROR or "
                      "LZMA_BUF_ERROR, got %d", len, clen, (int)rc);
            }
            rc = decode(comp, clen, back, DATA_SIZE, &out_pos, 4096, &in_pos);
            CHECK(rc == LZMA_MEMLIMIT_ERROR, "4 KiB memlimit: expected LZMA_MEMLIMIT_ERROR, got %d",
                  (int)rc);
        }
    }

    free(data);
    free(comp);
    free(back);
    if (any_failed())
        return 1;
    printf("xz %s OK: %u bytes -> %zu (preset 6, CRC64) -> %u, crc64 %016llx, presets 6/1 round trip\n",
           version, DATA_SIZE, size6, DATA_SIZE, (unsigned long long)crc64);
    return 0;
}
