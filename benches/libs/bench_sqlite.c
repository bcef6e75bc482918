/* sqlite: inserts (prepared statement, one transaction) into an in-memory
 * database with an index, then queries: point lookups by key, a LIKE scan
 * and an aggregate. Usage: bench_sqlite.wasm [short|full] */
#include <sqlite3.h>
#include "bench.h"

static void exec(sqlite3 *db, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "FAIL: %s: %s\n", sql, err ? err : "?");
        sqlite3_free(err);
        bench_failures++;
    }
}

int main(int argc, char **argv) {
    struct bench_args a = bench_parse(argc, argv);
    int rows = (int)(a.size / 64); /* 262144 full, 32768 short */
    unsigned char *text = bench_corpus(4096);
    printf("sqlite %s, %d rows\n", sqlite3_libversion(), rows);
    double best_ins = 1e30, best_point = 1e30, best_scan = 1e30;
    long long found = 0;
    for (int rep = 0; rep < a.reps; rep++) {
        sqlite3 *db;
        sqlite3_stmt *st;
        if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
        exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER, name TEXT, v REAL)");
        exec(db, "CREATE INDEX t_k ON t (k)");
        double t0 = bench_now();
        exec(db, "BEGIN");
        sqlite3_prepare_v2(db, "INSERT INTO t (k, name, v) VALUES (?, ?, ?)", -1, &st, NULL);
        for (int i = 0; i < rows; i++) {
            int off = (int)((i * 7919u) % 4000u);
            sqlite3_bind_int(st, 1, (int)((i * 2654435761u) % (unsigned)rows));
            sqlite3_bind_text(st, 2, (const char *)text + off, 24, SQLITE_STATIC);
            sqlite3_bind_double(st, 3, i * 0.5);
            BENCH_CHECK(sqlite3_step(st) == SQLITE_DONE, "insert %d", i);
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        exec(db, "COMMIT");
        double t = bench_now() - t0;
        if (t < best_ins) best_ins = t;

        t0 = bench_now();
        found = 0;
        sqlite3_prepare_v2(db, "SELECT name, v FROM t WHERE k = ?", -1, &st, NULL);
        for (int i = 0; i < rows; i++) {
            sqlite3_bind_int(st, 1, (int)((i * 40503u) % (unsigned)rows));
            while (sqlite3_step(st) == SQLITE_ROW) found++;
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        t = bench_now() - t0;
        if (t < best_point) best_point = t;

        t0 = bench_now();
        for (int q = 0; q < 10; q++) {
            sqlite3_prepare_v2(db,
                               "SELECT count(*), sum(v), max(length(name)) FROM t "
                               "WHERE name LIKE '%e%a%' AND k % 3 != 1",
                               -1, &st, NULL);
            BENCH_CHECK(sqlite3_step(st) == SQLITE_ROW, "scan");
            sqlite3_finalize(st);
        }
        t = bench_now() - t0;
        if (t < best_scan) best_scan = t;
        sqlite3_close(db);
    }
    BENCH_CHECK(found == rows, "point lookups found %lld of %d", found, rows);
    bench_result("sqlite", "insert", "rows", rows, best_ins);
    bench_result("sqlite", "point-query", "rows", rows, best_point);
    bench_result("sqlite", "scan-query", "rows", 10.0 * rows, best_scan);
    return bench_failures ? 1 : 0;
}
