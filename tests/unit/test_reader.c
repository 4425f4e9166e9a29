/* Unit tests of parsers/reader.c and the series naming in input.c:
 * plain and gzip files (multi-member, truncated, trailing garbage), line
 * endings, NUL bytes, long lines and resuming at an offset. */
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "../../parsers/input.h"
#include "../../parsers/reader.h"
#include "check.h"

static char dir[] = "/tmp/fa-reader-XXXXXX";

static char *path(const char *name)
{
    static char buf[256];
    snprintf(buf, sizeof(buf), "%s/%s", dir, name);
    return buf;
}

static void write_file(const char *name, const char *data, size_t n)
{
    FILE *f = fopen(path(name), "wb");
    fwrite(data, 1, n, f);
    fclose(f);
}

static void write_gz(const char *name, const char *data, size_t n,
                     const char *mode)
{
    gzFile g = gzopen(path(name), mode);
    gzwrite(g, data, (unsigned)n);
    gzclose(g);
}

/* All lines of a file joined with '|', with [CUT] marks. */
static int read_all(const char *name, uint64_t skip, char *out, size_t size,
                    const char **warning)
{
    struct fa_reader *r;
    const char *why;
    if (fa_reader_open(&r, path(name), skip, &why) != 0) {
        return -1;
    }
    struct fa_line l;
    int rc, n = 0;
    size_t used = 0;
    out[0] = '\0';
    while ((rc = fa_reader_next(r, &l)) > 0) {
        CHECK(l.ptr[l.len] == '\0');
        if (used + 64 > size) {
            n++;
            continue; /* only the count matters for big files */
        }
        used += (size_t)snprintf(out + used, size - used, "%s%zu:%.*s%s",
                                 n ? "|" : "", (size_t)l.number,
                                 (int)(l.len > 20 ? 20 : l.len), l.ptr,
                                 rc == FA_READ_CUT ? "[CUT]" : "");
        n++;
    }
    if (warning) {
        /* The text, kept past the close. */
        static char text[256];
        const char *w = fa_reader_warning(r);
        if (w != NULL) {
            snprintf(text, sizeof(text), "%s", w);
        }
        *warning = w != NULL ? text : NULL;
    }
    fa_reader_close(r);
    return n;
}

int main(void)
{
    if (mkdtemp(dir) == NULL) {
        return 1;
    }
    char out[4096];
    const char *warn;

    write_file("a.log", "one\r\ntwo\n\nthree", 16);
    CHECK(read_all("a.log", 0, out, sizeof(out), NULL) == 4);
    CHECK(strcmp(out, "1:one|2:two|3:|4:three") == 0);
    /* Resume after "one\r\n": line numbers go on counting. */
    CHECK(read_all("a.log", 5, out, sizeof(out), NULL) == 3);
    CHECK(strcmp(out, "2:two|3:|4:three") == 0);

    /* A NUL byte stays inside the line; its length says so. */
    write_file("nul.log", "a\0b\nc\n", 6);
    struct fa_reader *r;
    const char *why;
    CHECK(fa_reader_open(&r, path("nul.log"), 0, &why) == 0);
    struct fa_line l;
    CHECK(fa_reader_next(r, &l) == FA_READ_LINE && l.len == 3);
    CHECK(fa_reader_next(r, &l) == FA_READ_LINE && l.len == 1);
    CHECK(fa_reader_next(r, &l) == FA_READ_EOF);
    CHECK(fa_reader_offset(r) == 6);
    fa_reader_close(r);

    /* Lines at and over the limit; a 10 MB line in the middle. */
    size_t big = 10 * 1024 * 1024;
    char *data = malloc(big + 100);
    memset(data, 'x', big);
    memcpy(data + big, "\nafter\n", 7);
    write_file("long.log", data, big + 7);
    CHECK(read_all("long.log", 0, out, sizeof(out), NULL) == 2);
    CHECK(strcmp(out, "1:xxxxxxxxxxxxxxxxxxxx[CUT]|2:after") == 0);
    memset(data, 'y', FA_LINE_MAX);
    data[FA_LINE_MAX] = '\n';
    memset(data + FA_LINE_MAX + 1, 'z', FA_LINE_MAX + 1);
    data[2 * FA_LINE_MAX + 2] = '\n';
    write_file("edge.log", data, 2 * FA_LINE_MAX + 3);
    CHECK(read_all("edge.log", 0, out, sizeof(out), NULL) == 2);
    CHECK(strstr(out, "1:yyyyyyyyyyyyyyyyyyyy|") == out);
    CHECK(strstr(out, "zzzz[CUT]") != NULL);

    /* gzip: one member, two members, truncated, trailing garbage. */
    write_gz("one.gz", "a\nb\n", 4, "wb");
    CHECK(read_all("one.gz", 0, out, sizeof(out), &warn) == 2 && !warn);
    write_gz("m1.gz", "first\n", 6, "wb");
    write_gz("m2.gz", "second\nthird\n", 13, "wb");
    {
        char cmd[512];
        snprintf(cmd, sizeof(cmd), "cat %s/m1.gz %s/m2.gz > %s/multi.gz", dir,
                 dir, dir);
        CHECK(system(cmd) == 0);
    }
    CHECK(read_all("multi.gz", 0, out, sizeof(out), &warn) == 3);
    CHECK(strcmp(out, "1:first|2:second|3:third") == 0 && !warn);

    /* The second member starting a byte or three before a 1 MiB read of
     * the compressed file ends (the reader reads in 1 MiB blocks), its
     * first bytes split across two reads: the first member is made that
     * long by a file name in its header (RFC 1952 FNAME). */
    {
        FILE *m = fopen(path("m1.gz"), "rb");
        char m1[64];
        size_t m1len = fread(m1, 1, sizeof(m1), m);
        fclose(m);
        m = fopen(path("m2.gz"), "rb");
        char m2[64];
        size_t m2len = fread(m2, 1, sizeof(m2), m);
        fclose(m);
        size_t block = 1024 * 1024;
        char *buf = malloc(block + sizeof(m2));
        for (size_t k = 1; k <= 5; k++) {
            size_t name = block - k - m1len - 1; /* and its NUL */
            memcpy(buf, m1, 10);
            buf[3] |= 0x08;
            memset(buf + 10, 'n', name);
            buf[10 + name] = '\0';
            memcpy(buf + 11 + name, m1 + 10, m1len - 10);
            memcpy(buf + block - k, m2, m2len);
            write_file("split.gz", buf, block - k + m2len);
            warn = NULL;
            CHECK(read_all("split.gz", 0, out, sizeof(out), &warn) == 3);
            CHECK(strcmp(out, "1:first|2:second|3:third") == 0 && !warn);
        }
        free(buf);
        /* A member with reserved header flags, or another method than
         * deflate, is corrupt: nothing from it, and a warning. */
        memcpy(m1 + 3, "\xe0", 1);
        write_file("flags.gz", m1, m1len);
        CHECK(read_all("flags.gz", 0, out, sizeof(out), &warn) == 0);
        CHECK(warn != NULL && strstr(warn, "flags") != NULL);
        m1[3] = 0;
        m1[2] = 7;
        write_file("method.gz", m1, m1len);
        CHECK(read_all("method.gz", 0, out, sizeof(out), &warn) == 0);
        CHECK(warn != NULL && strstr(warn, "method") != NULL);
    }

    /* A big compressible file cut in half keeps its first part. */
    size_t n = 0;
    for (int i = 0; i < 200000; i++) {
        n += (size_t)sprintf(data + n, "line %d\n", i);
    }
    write_gz("full.gz", data, n, "wb9");
    FILE *f = fopen(path("full.gz"), "rb");
    fseek(f, 0, SEEK_END);
    long gzlen = ftell(f);
    rewind(f);
    char *gz = malloc((size_t)gzlen + 16);
    CHECK(fread(gz, 1, (size_t)gzlen, f) == (size_t)gzlen);
    fclose(f);
    write_file("half.gz", gz, (size_t)gzlen / 2);
    int got = read_all("half.gz", 0, out, sizeof(out), &warn);
    CHECK(got > 1000 && got < 200000);
    CHECK(warn != NULL);
    /* Trailing garbage after a complete member. */
    memcpy(gz + gzlen, "garbage!", 8);
    write_file("trail.gz", gz, (size_t)gzlen + 8);
    CHECK(read_all("trail.gz", 0, out, sizeof(out), &warn) == 200000);
    CHECK(warn != NULL);
    /* Corrupt data in the middle. */
    for (long i = gzlen / 2; i < gzlen / 2 + 64; i++) {
        gz[i] ^= 0x5a;
    }
    write_file("corrupt.gz", gz, (size_t)gzlen);
    got = read_all("corrupt.gz", 0, out, sizeof(out), &warn);
    CHECK(got < 200000 && warn != NULL);
    free(gz);
    free(data);

    /* Missing file, folder. */
    CHECK(fa_reader_open(&r, path("nope"), 0, &why) == FA_EOPEN);
    CHECK(fa_reader_open(&r, dir, 0, &why) == FA_ENOTREG);

    /* Rotation names. */
    char key[256];
    int64_t r0, r1, r2, r3, rd1, rd2;
    fa_input_series_key("/v/vsftpd.log", key, &r0);
    CHECK(strcmp(key, "/v/vsftpd.log") == 0);
    fa_input_series_key("/v/vsftpd.log.1", key, &r1);
    CHECK(strcmp(key, "/v/vsftpd.log") == 0);
    fa_input_series_key("/v/vsftpd.log.2.gz", key, &r2);
    CHECK(strcmp(key, "/v/vsftpd.log") == 0);
    fa_input_series_key("/v/vsftpd.log.10.gz", key, &r3);
    CHECK(r3 < r2 && r2 < r1 && r1 < r0);
    fa_input_series_key("/v/x.log-20100131.gz", key, &rd1);
    CHECK(strcmp(key, "/v/x.log") == 0);
    fa_input_series_key("/v/x.log-20100207", key, &rd2);
    CHECK(rd1 < rd2 && rd2 < r0 && r1 < rd1);
    fa_input_series_key("/v/2010.log", key, &r0);
    CHECK(strcmp(key, "/v/2010.log") == 0 && r0 == 0);

    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    return check_done();
}
