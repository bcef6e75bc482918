/*
 * OpenSSL round trip for a WASI build of CPython's external libraries.
 *
 * Known answers through the EVP interfaces CPython's _hashlib uses:
 * SHA-256 (FIPS 180-2 "abc" and two-block messages, one-shot and fed in
 * odd-sized pieces), PBKDF2-HMAC-SHA256 (hashlib.pbkdf2_hmac's answers
 * for "password"/"salt", and RFC 7914's 64-byte vector), scrypt (RFC 7914
 * with N=1024, r=8, p=16) and AES-256-GCM (test case 16 of the GCM
 * specification: encrypt, tag, decrypt, and a flipped tag bit refused).
 * Then libssl: a TLS client over memory BIOs (what ssl.MemoryBIO uses)
 * writes its ClientHello, which needs OpenSSL's random generator seeded
 * from WASI's random_get.
 * It must compile where CPython's _hashlib and _ssl do: they refuse an
 * OpenSSL without OPENSSL_THREADS, which the no-threads build declares for
 * single-threaded WASI (patches/openssl/wasi-single-thread.patch); the
 * thread API then still uses the library's own types (run-once, a
 * thread-local, the thread id). CPython's pyconfig.h defines _REENTRANT
 * on WASI too (wasi-libc's pthread stubs), so this program does as well.
 *
 * Usage: openssl_roundtrip.wasm [EXPECTED_VERSION]
 * (EXPECTED_VERSION is compared with OpenSSL_version(OPENSSL_VERSION_STRING),
 * e.g. "3.0.20".) Exit 0 and one summary line on success; a message on
 * stderr and exit 1 on any failure.
 */
#define _REENTRANT 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#ifndef OPENSSL_THREADS
#error "OPENSSL_THREADS is not defined, Python requires thread-safe OpenSSL"
#endif

#define PROGRAM "openssl_roundtrip"
#include "roundtrip.h"

/* HEX (lower case, even length) into OUT; returns the byte count. */
static size_t unhex(const char *hex, unsigned char *out) {
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (unsigned char)v;
    }
    return n;
}

/* CHECK that BUF[0..n) is HEX. */
static void check_hex(const char *what, const unsigned char *buf, size_t n, const char *hex) {
    unsigned char want[128];
    size_t len = unhex(hex, want);
    CHECK(len == n && memcmp(buf, want, n) == 0, "%s: wrong answer", what);
}

static void sha256(void) {
    static const char *const cases[][2] = {
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    };
    EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
    CHECK(md != NULL, "EVP_MD_fetch(SHA256) failed");
    if (!md) return;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const char *msg = cases[c][0];
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        CHECK(EVP_Digest(msg, strlen(msg), out, &len, md, NULL) == 1, "EVP_Digest failed");
        check_hex("SHA-256 one-shot", out, len, cases[c][1]);
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        int ok = EVP_DigestInit_ex(ctx, md, NULL);
        for (size_t i = 0, step = 1; i < strlen(msg); i += step, step += 2) {
            size_t left = strlen(msg) - i;
            ok &= EVP_DigestUpdate(ctx, msg + i, step < left ? step : left);
        }
        ok &= EVP_DigestFinal_ex(ctx, out, &len);
        CHECK(ok == 1, "streaming SHA-256 failed");
        check_hex("SHA-256 in pieces", out, len, cases[c][1]);
        EVP_MD_CTX_free(ctx);
    }
    EVP_MD_free(md);
}

static void pbkdf2(void) {
    unsigned char out[64];
    CHECK(PKCS5_PBKDF2_HMAC("password", 8, (const unsigned char *)"salt", 4, 1, EVP_sha256(), 32, out) == 1,
          "PBKDF2 failed");
    check_hex("PBKDF2-HMAC-SHA256 password/salt/1", out, 32,
              "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
    CHECK(PKCS5_PBKDF2_HMAC("password", 8, (const unsigned char *)"salt", 4, 4096, EVP_sha256(), 32, out) == 1,
          "PBKDF2 failed");
    check_hex("PBKDF2-HMAC-SHA256 password/salt/4096", out, 32,
              "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
    CHECK(PKCS5_PBKDF2_HMAC("passwd", 6, (const unsigned char *)"salt", 4, 1, EVP_sha256(), 64, out) == 1,
          "PBKDF2 failed");
    check_hex("PBKDF2-HMAC-SHA256 RFC 7914", out, 64,
              "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
              "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
}

static void scrypt(void) {
    unsigned char out[64];
    int ok = EVP_PBE_scrypt("password", 8, (const unsigned char *)"NaCl", 4, 1024, 8, 16,
                            64 * 1024 * 1024, out, sizeof out);
    CHECK(ok == 1, "EVP_PBE_scrypt failed");
    check_hex("scrypt RFC 7914 (N=1024, r=8, p=16)", out, 64,
              "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
              "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

static void aes_gcm(void) {
    unsigned char key[32], iv[12], pt[64], aad[20], ct[64], tag[16], back[64];
    unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", key);
    unhex("cafebabefacedbaddecaf888", iv);
    size_t n = unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39", pt);
    size_t a = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad);
    const char *want_ct = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                          "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
    const char *want_tag = "76fc6ece0f4e1768cddf8853bb2d551b";

    EVP_CIPHER *aes = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
    CHECK(aes != NULL, "EVP_CIPHER_fetch(AES-256-GCM) failed");
    if (!aes) return;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0;
    int ok = EVP_EncryptInit_ex2(ctx, aes, key, iv, NULL);
    ok &= EVP_EncryptUpdate(ctx, NULL, &len, aad, (int)a);
    ok &= EVP_EncryptUpdate(ctx, ct, &len, pt, (int)n);
    ok &= EVP_EncryptFinal_ex(ctx, ct + len, &fin);
    ok &= EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
    CHECK(ok == 1 && (size_t)(len + fin) == n, "AES-256-GCM encryption failed");
    check_hex("AES-256-GCM ciphertext", ct, n, want_ct);
    check_hex("AES-256-GCM tag", tag, 16, want_tag);

    for (int flip = 0; flip < 2; flip++) {
        unsigned char t[16];
        memcpy(t, tag, 16);
        t[15] ^= (unsigned char)flip;
        ok = EVP_DecryptInit_ex2(ctx, aes, key, iv, NULL);
        ok &= EVP_DecryptUpdate(ctx, NULL, &len, aad, (int)a);
        ok &= EVP_DecryptUpdate(ctx, back, &len, ct, (int)n);
        ok &= EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, t);
        int verified = EVP_DecryptFinal_ex(ctx, back + len, &fin) == 1;
        if (flip) {
            CHECK(!verified, "AES-256-GCM accepted a flipped tag bit");
        } else {
            CHECK(ok == 1 && verified, "AES-256-GCM decryption failed");
            CHECK(first_diff(back, pt, n) == n, "AES-256-GCM decryption differs at byte %zu",
                  first_diff(back, pt, n));
        }
    }
    ERR_clear_error();
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(aes);
}

/* A TLS client over memory BIOs writes a ClientHello record. */
static void tls_client_hello(void) {
    unsigned char r1[32], r2[32];
    CHECK(RAND_bytes(r1, sizeof r1) == 1 && RAND_bytes(r2, sizeof r2) == 1, "RAND_bytes failed");
    CHECK(memcmp(r1, r2, sizeof r1) != 0, "RAND_bytes gave the same 32 bytes twice");
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    CHECK(ctx != NULL, "SSL_CTX_new failed");
    if (!ctx) return;
    SSL *ssl = SSL_new(ctx);
    BIO *in = BIO_new(BIO_s_mem()), *out = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl, in, out);
    SSL_set_connect_state(ssl);
    CHECK(SSL_set_tlsext_host_name(ssl, "example.invalid") == 1, "SNI failed");
    int rc = SSL_do_handshake(ssl);
    CHECK(rc <= 0 && SSL_get_error(ssl, rc) == SSL_ERROR_WANT_READ,
          "handshake did not wait for the server (error %d)", SSL_get_error(ssl, rc));
    unsigned char rec[5] = {0};
    int got = BIO_read(out, rec, sizeof rec);
    CHECK(got == 5 && rec[0] == 0x16 && rec[1] == 0x03,
          "no TLS handshake record in the output BIO (%d bytes)", got);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
}

static int once_runs = 0;
static void once_init(void) { once_runs++; }

/* OpenSSL's thread API with the types crypto.h declares to programs. */
static void threads(void) {
    static CRYPTO_ONCE once = CRYPTO_ONCE_STATIC_INIT;
    CHECK(CRYPTO_THREAD_run_once(&once, once_init) == 1 && CRYPTO_THREAD_run_once(&once, once_init) == 1
              && once_runs == 1,
          "CRYPTO_THREAD_run_once ran its function %d times", once_runs);
    CRYPTO_THREAD_LOCAL key;
    int value = 42;
    CHECK(CRYPTO_THREAD_init_local(&key, NULL) == 1 && CRYPTO_THREAD_set_local(&key, &value) == 1
              && CRYPTO_THREAD_get_local(&key) == &value && CRYPTO_THREAD_cleanup_local(&key) == 1,
          "CRYPTO_THREAD_*_local failed");
    CRYPTO_THREAD_ID me = CRYPTO_THREAD_get_current_id();
    CHECK(CRYPTO_THREAD_compare_id(me, CRYPTO_THREAD_get_current_id()), "thread id differs from itself");
    CRYPTO_RWLOCK *lock = CRYPTO_THREAD_lock_new();
    CHECK(lock != NULL && CRYPTO_THREAD_write_lock(lock) == 1 && CRYPTO_THREAD_unlock(lock) == 1,
          "CRYPTO_THREAD lock/unlock failed");
    CRYPTO_THREAD_lock_free(lock);
}

int main(int argc, char **argv) {
    const char *expected = expected_version(argc, argv);
    const char *version = OpenSSL_version(OPENSSL_VERSION_STRING);
    if (expected)
        CHECK(strcmp(version, expected) == 0, "version %s, expected %s", version, expected);
    sha256();
    pbkdf2();
    scrypt();
    aes_gcm();
    tls_client_hello();
    threads();
    if (failures) {
        ERR_print_errors_fp(stderr);
        fprintf(stderr, PROGRAM ": %d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("openssl %s: SHA-256, PBKDF2-HMAC-SHA256, scrypt, AES-256-GCM, a TLS ClientHello and the thread API ok (%d checks)\n",
           version, checks);
    return 0;
}
