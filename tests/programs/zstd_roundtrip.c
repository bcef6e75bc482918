/*
 * zstd round trip for a WASI build of CPython's external libraries.
 *
 * Builds ~384 KiB of deterministic, mixed data (random bytes, repeated
 * text, runs), compresses it with ZSTD_compress() at levels -5, 3 and 12,
 * decompresses it with ZSTD_decompress() and compares byte for byte; does
 * the same with the streaming API (ZSTD_compressStream2() and
 * ZSTD_decompressStream() in small, odd-sized pieces, with a content
 * checksum); trains a dictionary with ZDICT_trainFromBuffer() (which needs
 * wasi-libc's clock() emulation) and round-trips with it; checks that
 * corrupted and truncated frames are rejected and that the library is
 * single-threaded (ZSTD_c_nbWorkers cannot be set).
 *
 * Usage: zstd_roundtrip.wasm [EXPECTED_VERSION]
 * (EXPECTED_VERSION is compared with ZSTD_versionString(), e.g. "1.5.7".)
 * Exit 0 and one summary line on success; a message on stderr and exit 1
 * on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>
#include <zdict.h>
#include <zstd_errors.h>

#define PROGRAM "zstd_roundtrip"
#include "roundtrip.h"

#define DATA_SIZE (384u * 1024u)
#define SAMPLE_SIZE 256u
#define DICT_CAPACITY (8u * 1024u)

/* Words for the text segments of the test data. */
static const char *const words[8] = {"wasi", "cpython", "zstd", "zdict", "finite state",
                                     "the quick brown fox", "jumps over", "the lazy dog"};

/* Streaming compression of SRC in pieces of IN_STEP bytes into OUT_STEP-byte
 * windows of DST; returns the frame size, or 0 after a failed CHECK. */
static size_t stream_compress(ZSTD_CCtx *cctx, const unsigned char *src, size_t n,
                              unsigned char *dst, size_t cap, size_t in_step, size_t out_step) {
    ZSTD_outBuffer out = {dst, 0, 0};
    size_t pos = 0;
    for (;;) {
        size_t chunk = n - pos < in_step ? n - pos : in_step;
        ZSTD_inBuffer in = {src + pos, chunk, 0};
        ZSTD_EndDirective mode = pos + chunk == n ? ZSTD_e_end : ZSTD_e_continue;
        size_t remaining;
        do {
            out.size = out.pos + out_step < cap ? out.pos + out_step : cap;
            remaining = ZSTD_compressStream2(cctx, &out, &in, mode);
            if (ZSTD_isError(remaining)) {
                CHECK(0, "ZSTD_compressStream2: %s", ZSTD_getErrorName(remaining));
                return 0;
            }
            if (out.pos == cap && remaining) {
                CHECK(0, "ZSTD_compressStream2: output buffer of %zu bytes full", cap);
                return 0;
            }
        } while (in.pos < in.size || (mode == ZSTD_e_end && remaining != 0));
        pos += chunk;
        if (mode == ZSTD_e_end) return out.pos;
    }
}

/* Streaming decompression of SRC[0..n) in pieces; returns the ZSTD result
 * (an error code, or 0 for a complete frame) and the output size in *got. */
static size_t stream_decompress(ZSTD_DCtx *dctx, const unsigned char *src, size_t n,
                                unsigned char *dst, size_t cap, size_t in_step, size_t out_step,
                                size_t *got) {
    ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
    ZSTD_outBuffer out = {dst, 0, 0};
    size_t pos = 0, ret = 1;
    while (pos < n) {
        size_t chunk = n - pos < in_step ? n - pos : in_step;
        ZSTD_inBuffer in = {src + pos, chunk, 0};
        while (in.pos < in.size) {
            out.size = out.pos + out_step < cap ? out.pos + out_step : cap;
            ret = ZSTD_decompressStream(dctx, &out, &in);
            if (ZSTD_isError(ret)) {
                *got = out.pos;
                return ret;
            }
            if (out.pos == cap && in.pos < in.size) break;
        }
        pos += chunk;
    }
    *got = out.pos;
    /* ret > 0: the frame is not complete (truncated input) */
    return ret == 0 ? 0 : (size_t)-ZSTD_error_srcSize_wrong;
}

int main(int argc, char **argv) {
    const char *version = ZSTD_versionString();
    const char *expected = expected_version(argc, argv);
    CHECK(ZSTD_versionNumber() == ZSTD_VERSION_NUMBER,
          "ZSTD_versionNumber() is %u but zstd.h says %u (%s)", ZSTD_versionNumber(),
          (unsigned)ZSTD_VERSION_NUMBER, ZSTD_VERSION_STRING);
    if (expected)
        CHECK(strcmp(version, expected) == 0, "ZSTD_versionString() is %s, expected %s", version,
              expected);

    size_t bound = ZSTD_compressBound(DATA_SIZE);
    unsigned char *data = malloc(DATA_SIZE);
    unsigned char *comp = malloc(bound);
    unsigned char *back = malloc(DATA_SIZE);
    if (!data || !comp || !back || ZSTD_isError(bound)) {
        fprintf(stderr, PROGRAM ": FAIL: out of memory\n");
        return 1;
    }
    fill(data, DATA_SIZE, 31337u, words, 250);

    /* One shot, three levels. */
    static const int levels[] = {-5, 3, 12};
    size_t size3 = 0;
    for (int l = 0; l < 3; l++) {
        size_t clen = ZSTD_compress(comp, bound, data, DATA_SIZE, levels[l]);
        CHECK(!ZSTD_isError(clen), "ZSTD_compress(level %d): %s", levels[l],
              ZSTD_getErrorName(clen));
        if (ZSTD_isError(clen)) continue;
        CHECK(clen < DATA_SIZE * 9 / 10 && clen > DATA_SIZE / 20,
              "level %d: implausible compressed size %zu of %u", levels[l], clen, DATA_SIZE);
        CHECK(memcmp(comp, "\x28\xb5\x2f\xfd", 4) == 0, "level %d: no zstd frame magic", levels[l]);
        CHECK(ZSTD_getFrameContentSize(comp, clen) == DATA_SIZE,
              "level %d: frame content size %llu, expected %u", levels[l],
              (unsigned long long)ZSTD_getFrameContentSize(comp, clen), DATA_SIZE);
        if (levels[l] == 3) size3 = clen;
        memset(back, 0, DATA_SIZE);
        size_t dlen = ZSTD_decompress(back, DATA_SIZE, comp, clen);
        CHECK(dlen == DATA_SIZE, "level %d: ZSTD_decompress gave %s / %zu bytes", levels[l],
              ZSTD_isError(dlen) ? ZSTD_getErrorName(dlen) : "ok", dlen);
        if (dlen == DATA_SIZE)
            CHECK(memcmp(back, data, DATA_SIZE) == 0, "level %d: data differs at offset %zu",
                  levels[l], first_diff(back, data, DATA_SIZE));
        if (levels[l] == 3) {
            size_t r = ZSTD_decompress(back, DATA_SIZE, comp, clen - 7);
            CHECK(ZSTD_isError(r), "a truncated frame was accepted");
            r = ZSTD_decompress(back, DATA_SIZE - 1, comp, clen);
            CHECK(ZSTD_getErrorCode(r) == ZSTD_error_dstSize_tooSmall,
                  "short output buffer: expected dstSize_tooSmall, got %s", ZSTD_getErrorName(r));
        }
    }

    /* Streaming, with a checksum, in odd-sized pieces. */
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    ZSTD_DCtx *dctx = ZSTD_createDCtx();
    if (!cctx || !dctx) {
        fprintf(stderr, PROGRAM ": FAIL: cannot create contexts\n");
        return 1;
    }
    CHECK(ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, 2)),
          "ZSTD_c_nbWorkers=2 was accepted: the library is multi-threaded");
    size_t r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 7);
    CHECK(!ZSTD_isError(r), "ZSTD_c_compressionLevel: %s", ZSTD_getErrorName(r));
    r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
    CHECK(!ZSTD_isError(r), "ZSTD_c_checksumFlag: %s", ZSTD_getErrorName(r));
    size_t slen = stream_compress(cctx, data, DATA_SIZE, comp, bound, 1000, 777);
    size_t got = 0;
    if (slen) {
        memset(back, 0, DATA_SIZE);
        r = stream_decompress(dctx, comp, slen, back, DATA_SIZE, 613, 4099, &got);
        CHECK(r == 0 && got == DATA_SIZE, "streaming: %s, %zu of %u bytes",
              ZSTD_isError(r) ? ZSTD_getErrorName(r) : "ok", got, DATA_SIZE);
        if (got == DATA_SIZE)
            CHECK(memcmp(back, data, DATA_SIZE) == 0, "streaming: data differs at offset %zu",
                  first_diff(back, data, DATA_SIZE));
        /* A flipped byte in the middle: the decoder or the checksum must notice. */
        comp[slen / 2] ^= 0x55;
        r = stream_decompress(dctx, comp, slen, back, DATA_SIZE, 613, 4099, &got);
        CHECK(ZSTD_isError(r), "streaming: a corrupted frame was accepted");
        comp[slen / 2] ^= 0x55;
        r = stream_decompress(dctx, comp, slen / 2, back, DATA_SIZE, 613, 4099, &got);
        CHECK(r != 0, "streaming: half a frame was accepted as complete");
    }

    /* A trained dictionary: samples are the text segments (every 4th 4 KiB). */
    size_t nsamples = 0;
    size_t sizes[DATA_SIZE / SAMPLE_SIZE];
    unsigned char *samples = malloc(DATA_SIZE / 4);
    unsigned char *dict = malloc(DICT_CAPACITY);
    if (!samples || !dict) {
        fprintf(stderr, PROGRAM ": FAIL: out of memory\n");
        return 1;
    }
    for (size_t seg = 1; seg * 4096 < DATA_SIZE; seg += 4)
        for (size_t off = 0; off + SAMPLE_SIZE <= 4096; off += SAMPLE_SIZE) {
            memcpy(samples + nsamples * SAMPLE_SIZE, data + seg * 4096 + off, SAMPLE_SIZE);
            sizes[nsamples++] = SAMPLE_SIZE;
        }
    size_t dsize = ZDICT_trainFromBuffer(dict, DICT_CAPACITY, samples, sizes, (unsigned)nsamples);
    CHECK(!ZDICT_isError(dsize), "ZDICT_trainFromBuffer over %zu samples: %s", nsamples,
          ZDICT_getErrorName(dsize));
    unsigned dict_id = 0;
    if (!ZDICT_isError(dsize)) {
        dict_id = ZDICT_getDictID(dict, dsize);
        CHECK(dict_id != 0, "the trained dictionary has no id");
        const unsigned char *sample = samples + 5 * SAMPLE_SIZE;
        unsigned char small[SAMPLE_SIZE];
        size_t plain = ZSTD_compress(comp, bound, sample, SAMPLE_SIZE, 3);
        size_t clen = ZSTD_compress_usingDict(cctx, comp, bound, sample, SAMPLE_SIZE, dict, dsize, 3);
        CHECK(!ZSTD_isError(clen) && !ZSTD_isError(plain) && clen < plain,
              "with the dictionary %zu bytes, without %zu", clen, plain);
        CHECK(ZSTD_getDictID_fromFrame(comp, clen) == dict_id, "the frame names dictionary %u, not %u",
              ZSTD_getDictID_fromFrame(comp, clen), dict_id);
        size_t dlen = ZSTD_decompress_usingDict(dctx, small, sizeof small, comp, clen, dict, dsize);
        CHECK(dlen == SAMPLE_SIZE && memcmp(small, sample, SAMPLE_SIZE) == 0,
              "dictionary round trip: %s, %zu bytes",
              ZSTD_isError(dlen) ? ZSTD_getErrorName(dlen) : "ok", dlen);
        dlen = ZSTD_decompress(small, sizeof small, comp, clen);
        CHECK(ZSTD_getErrorCode(dlen) == ZSTD_error_dictionary_wrong,
              "without the dictionary: expected dictionary_wrong, got %s",
              ZSTD_isError(dlen) ? ZSTD_getErrorName(dlen) : "success");
    }

    ZSTD_freeCCtx(cctx);
    ZSTD_freeDCtx(dctx);
    free(samples);
    free(dict);
    free(data);
    free(comp);
    free(back);
    if (any_failed())
        return 1;
    printf("zstd %s OK: %u bytes -> %zu (level 3) -> %u, levels -5/3/12, streaming %zu bytes "
           "with checksum, dictionary %u of %zu bytes round trip\n",
           version, DATA_SIZE, size3, DATA_SIZE, slen, dict_id, dsize);
    return 0;
}
