/*
 * SQLite round trip for a WASI build of CPython's external libraries.
 *
 * In an in-memory database: creates a table, inserts 1000 rows in one
 * transaction through a prepared statement, checks SELECT count(*), sum(x),
 * min(x), max(x) against values computed in C, reads back UTF-8 text (with
 * quotes and non-ASCII characters) and a blob with NUL bytes, checks a
 * rolled-back transaction leaves no trace, an index query, and PRAGMA
 * integrity_check; checks that the header and the library agree on the
 * version and source id.
 *
 * Usage: sqlite_roundtrip.wasm [EXPECTED_VERSION]
 * (EXPECTED_VERSION is sqlite3_libversion(), e.g. "3.46.1"; the
 * cpython-source-deps tag form "3.46.1.0" is accepted too.)
 * Exit 0 and one summary line on success; a message on stderr and exit 1
 * on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#define PROGRAM "sqlite_roundtrip"
#include "roundtrip.h"

#define ROWS 1000

/* Fatal SQLite error: report and exit. */
static void die(sqlite3 *db, const char *what, int rc) {
    fprintf(stderr, PROGRAM ": FAIL: %s: rc %d: %s\n", what, rc,
            db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    exit(1);
}

static void exec(sqlite3 *db, const char *sql) {
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) {
        fprintf(stderr, PROGRAM ": FAIL: %s: rc %d: %s\n", sql, rc, err ? err : "?");
        exit(1);
    }
}

/* Deterministic values, some negative, some large. */
static int64_t value(int i) {
    return ((int64_t)i * i * 7919 % 1000003) - 500000 + ((int64_t)(i % 7) << 33);
}

static void text_for(int i, char *buf, size_t n) {
    snprintf(buf, n, "row %d: caf\xC3\xA9 \xE2\x82\xAC%d 'quoted' \"double\" \xF0\x9F\x90\x8D", i,
             i * 3);
}

static int64_t single_int(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) die(db, sql, rc);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) die(db, sql, rc);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int main(int argc, char **argv) {
    const char *version = sqlite3_libversion();
    const char *expected = expected_version(argc, argv);
    CHECK(strcmp(version, SQLITE_VERSION) == 0, "sqlite3_libversion() is %s but sqlite3.h says %s",
          version, SQLITE_VERSION);
    CHECK(sqlite3_libversion_number() == SQLITE_VERSION_NUMBER,
          "sqlite3_libversion_number() is %d but sqlite3.h says %d", sqlite3_libversion_number(),
          SQLITE_VERSION_NUMBER);
    CHECK(strncmp(sqlite3_sourceid(), SQLITE_SOURCE_ID, 80) == 0,
          "sqlite3_sourceid() is %s but sqlite3.h says %s", sqlite3_sourceid(), SQLITE_SOURCE_ID);
    if (expected) {
        size_t vlen = strlen(version);
        int same = strcmp(version, expected) == 0 ||
                   (strncmp(version, expected, vlen) == 0 && strcmp(expected + vlen, ".0") == 0);
        CHECK(same, "sqlite3_libversion() is %s, expected %s", version, expected);
    }

    sqlite3 *db = NULL;
    int rc = sqlite3_open(":memory:", &db);
    if (rc != SQLITE_OK) die(db, "sqlite3_open(:memory:)", rc);

    exec(db, "CREATE TABLE t (i INTEGER PRIMARY KEY, x INTEGER NOT NULL, s TEXT, b BLOB)");

    /* Insert ROWS rows in one transaction with one prepared statement. */
    int64_t sum = 0, min = INT64_MAX, max = INT64_MIN;
    char text[128];
    unsigned char blob[16];
    sqlite3_stmt *ins;
    exec(db, "BEGIN");
    rc = sqlite3_prepare_v2(db, "INSERT INTO t (i, x, s, b) VALUES (?1, ?2, ?3, ?4)", -1, &ins, NULL);
    if (rc != SQLITE_OK) die(db, "prepare INSERT", rc);
    for (int i = 1; i <= ROWS; i++) {
        int64_t x = value(i);
        sum += x;
        if (x < min) min = x;
        if (x > max) max = x;
        text_for(i, text, sizeof text);
        for (int k = 0; k < 16; k++) blob[k] = (unsigned char)((i * 31 + k * 17) & (k % 3 ? 0xff : 0));
        sqlite3_bind_int(ins, 1, i);
        sqlite3_bind_int64(ins, 2, x);
        sqlite3_bind_text(ins, 3, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(ins, 4, blob, sizeof blob, SQLITE_TRANSIENT);
        rc = sqlite3_step(ins);
        if (rc != SQLITE_DONE) die(db, "INSERT step", rc);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    exec(db, "COMMIT");

    /* Aggregates against the C-side values. */
    sqlite3_stmt *agg;
    rc = sqlite3_prepare_v2(db, "SELECT count(*), sum(x), min(x), max(x) FROM t", -1, &agg, NULL);
    if (rc != SQLITE_OK) die(db, "prepare SELECT aggregates", rc);
    rc = sqlite3_step(agg);
    if (rc != SQLITE_ROW) die(db, "SELECT aggregates step", rc);
    int64_t got_count = sqlite3_column_int64(agg, 0), got_sum = sqlite3_column_int64(agg, 1);
    CHECK(got_count == ROWS, "count(*) = %lld, expected %d", (long long)got_count, ROWS);
    CHECK(got_sum == sum, "sum(x) = %lld, expected %lld", (long long)got_sum, (long long)sum);
    CHECK(sqlite3_column_int64(agg, 2) == min, "min(x) = %lld, expected %lld",
          (long long)sqlite3_column_int64(agg, 2), (long long)min);
    CHECK(sqlite3_column_int64(agg, 3) == max, "max(x) = %lld, expected %lld",
          (long long)sqlite3_column_int64(agg, 3), (long long)max);
    sqlite3_finalize(agg);

    /* Text and blob round trip for every row. */
    sqlite3_stmt *sel;
    rc = sqlite3_prepare_v2(db, "SELECT i, x, s, length(s), b FROM t ORDER BY i", -1, &sel, NULL);
    if (rc != SQLITE_OK) die(db, "prepare SELECT rows", rc);
    int seen = 0, text_bad = 0, blob_bad = 0;
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        int i = sqlite3_column_int(sel, 0);
        seen++;
        CHECK(i == seen, "row order: got i=%d, expected %d", i, seen);
        CHECK(sqlite3_column_int64(sel, 1) == value(i), "row %d: x differs", i);
        text_for(i, text, sizeof text);
        const unsigned char *s = sqlite3_column_text(sel, 2);
        int sbytes = sqlite3_column_bytes(sel, 2);
        if (!s || sbytes != (int)strlen(text) || memcmp(s, text, (size_t)sbytes) != 0) {
            if (!text_bad++)
                fprintf(stderr, PROGRAM ": FAIL: row %d: text \"%s\", expected \"%s\"\n", i,
                        s ? (const char *)s : "(null)", text);
        }
        /* 'café €N ... 🐍': length() counts characters, not bytes (é, € and 🐍
         * are 2, 3 and 4 bytes). */
        int chars = sqlite3_column_int(sel, 3);
        if (chars != (int)strlen(text) - 1 - 2 - 3) {
            if (!text_bad++)
                fprintf(stderr, PROGRAM ": FAIL: row %d: length(s) = %d, expected %d\n", i,
                        chars, (int)strlen(text) - 6);
        }
        for (int k = 0; k < 16; k++) blob[k] = (unsigned char)((i * 31 + k * 17) & (k % 3 ? 0xff : 0));
        const void *b = sqlite3_column_blob(sel, 4);
        if (sqlite3_column_bytes(sel, 4) != 16 || !b || memcmp(b, blob, 16) != 0) {
            if (!blob_bad++) fprintf(stderr, PROGRAM ": FAIL: row %d: blob differs\n", i);
        }
    }
    if (rc != SQLITE_DONE) die(db, "SELECT rows step", rc);
    sqlite3_finalize(sel);
    CHECK(seen == ROWS, "read back %d rows, expected %d", seen, ROWS);
    CHECK(text_bad == 0, "%d text mismatch(es)", text_bad);
    CHECK(blob_bad == 0, "%d blob mismatch(es)", blob_bad);

    /* A rolled-back transaction leaves no trace. */
    exec(db, "BEGIN; DELETE FROM t WHERE i % 2 = 0; UPDATE t SET x = 0; ROLLBACK");
    CHECK(single_int(db, "SELECT count(*) FROM t") == ROWS, "ROLLBACK did not restore the rows");
    CHECK(single_int(db, "SELECT sum(x) FROM t") == sum, "ROLLBACK did not restore sum(x)");

    /* An index and a query that uses it. */
    exec(db, "CREATE INDEX t_x ON t (x)");
    int64_t below = 0;
    for (int i = 1; i <= ROWS; i++) below += value(i) < 0;
    CHECK(single_int(db, "SELECT count(*) FROM t INDEXED BY t_x WHERE x < 0") == below,
          "indexed count(x < 0) differs from %lld", (long long)below);

    sqlite3_stmt *chk;
    rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &chk, NULL);
    if (rc != SQLITE_OK) die(db, "prepare integrity_check", rc);
    rc = sqlite3_step(chk);
    CHECK(rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(chk, 0), "ok") == 0,
          "PRAGMA integrity_check: %s",
          rc == SQLITE_ROW ? (const char *)sqlite3_column_text(chk, 0) : sqlite3_errmsg(db));
    sqlite3_finalize(chk);

    /* A constraint violation must be an error. */
    rc = sqlite3_exec(db, "INSERT INTO t (i, x) VALUES (1, 1)", NULL, NULL, NULL);
    CHECK(rc == SQLITE_CONSTRAINT, "duplicate primary key: expected SQLITE_CONSTRAINT, got %d", rc);

    rc = sqlite3_close(db);
    CHECK(rc == SQLITE_OK, "sqlite3_close returned %d", rc);

    if (any_failed())
        return 1;
    printf("sqlite %s OK: %d rows, count %lld, sum(x) %lld, text/blob round trip, rollback, index, integrity_check ok\n",
           version, ROWS, (long long)got_count, (long long)got_sum);
    return 0;
}
