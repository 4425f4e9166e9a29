/*
 * Fuzz target: every parser in the registry, driven the way the framework
 * drives it (parsers/input.c), with every event written as ECS NDJSON and
 * the output checked.
 *
 * Input layout:
 *   byte 0     selector: (b & 0x7f) % parser count picks the parser;
 *              b & 0x80: the first line of the rest is a LogFormat string
 *              given as ctx.logformat (--proftpd-logformat)
 *   the rest   log lines, split on "\n" with a "\r" before it stripped,
 *              each NUL-terminated in its own heap block of exactly len + 1
 *              bytes (AddressSanitizer sees a read past the terminator),
 *              cut at FA_LINE_MAX
 *
 * The line copy is freed once its events are written, so an event that
 * still points into an earlier line (the contract says views live until
 * the next call) is a use-after-free.  The first lines also go through
 * every probe, as auto-detection does (fa_parser_detect() itself only
 * compares the scores).
 */
#include <stdlib.h>
#include <string.h>

#include "../../parsers/parser.h"
#include "fuzz.h"

/* Non-blank leading lines auto-detection samples (input.c SAMPLE_LINES). */
#define SAMPLE_LINES 200
/* A parser that keeps saying FA_AGAIN for one line, or keeps emitting
 * from finish(), is stuck. */
#define MAX_AGAIN 4096
#define MAX_FINISH (1u << 20)
#define FLAG_LOGFORMAT 0x80

struct span {
    size_t off, len;
};

static size_t nparsers(void)
{
    const struct fa_parser *const *p = fa_parsers();
    size_t n = 0;
    while (p[n] != NULL) {
        n++;
    }
    return n;
}

/* What input.c calls blank: nothing but spaces, tabs and CRs. */
static bool blank(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') {
            return false;
        }
    }
    return true;
}

/* Split d[0..n) into lines as reader.c does.  Returns the count; *out is
 * heap memory the caller frees. */
static size_t split_lines(const char *d, size_t n, struct span **out)
{
    size_t cap = 16, count = 0;
    struct span *v = malloc(cap * sizeof(*v));
    if (v == NULL) {
        abort();
    }
    size_t pos = 0;
    while (pos < n) {
        const char *nl = memchr(d + pos, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - (d + pos)) : n - pos;
        size_t next = nl ? pos + len + 1 : n;
        if (len > FA_LINE_MAX) {
            len = FA_LINE_MAX;   /* the start only, as FA_READ_CUT */
        } else if (len > 0 && d[pos + len - 1] == '\r') {
            len--;
        }
        if (count == cap) {
            cap *= 2;
            v = realloc(v, cap * sizeof(*v));
            if (v == NULL) {
                abort();
            }
        }
        v[count++] = (struct span){pos, len};
        pos = next;
    }
    *out = v;
    return count;
}

/* Every probe sees the leading non-blank lines; scores stay in 0..100. */
static void probe_all(const char *d, const struct span *lines, size_t n)
{
    struct fa_line sample[SAMPLE_LINES];
    size_t k = 0;
    for (size_t i = 0; i < n && k < SAMPLE_LINES; i++) {
        if (blank(d + lines[i].off, lines[i].len)) {
            continue;
        }
        sample[k].ptr = fuzz_dup(d + lines[i].off, lines[i].len);
        sample[k].len = lines[i].len;
        sample[k].number = i + 1;
        k++;
    }
    if (k > 0) {
        const struct fa_parser *const *p = fa_parsers();
        for (size_t i = 0; p[i] != NULL; i++) {
            size_t m = k < p[i]->probe_lines ? k : p[i]->probe_lines;
            int s = m > 0 ? p[i]->probe(sample, m) : 0;
            if (s < 0 || s > 100) {
                fuzz_fail("%s: probe scored %d", p[i]->name, s);
            }
        }
    }
    for (size_t i = 0; i < k; i++) {
        free((void *)sample[i].ptr);
    }
}

static bool within(const void *p, const void *base, size_t size)
{
    const char *c = p, *b = base;
    return base != NULL && c >= b && c <= b + size;
}

/* *why on FA_INVALID: NULL or a static string, never a view into the line
 * or the state (the framework keeps it after both have changed). */
static void check_why(const struct fa_parser *p, const char *why,
                      const struct fa_line *l, const void *state)
{
    if (why == NULL) {
        return;
    }
    if (within(why, l->ptr, l->len) ||
        within(why, state, p->state_size)) {
        fuzz_fail("%s: *why points into the line or the state, not at a "
                  "static string",
                  p->name);
    }
    (void)strlen(why);
}

static void run_parser(const struct fa_parser *p, const struct fa_ctx *ctx,
                       const char *d, const struct span *lines, size_t n)
{
    void *state = malloc(p->state_size ? p->state_size : 1);
    if (state == NULL) {
        abort();
    }
    memset(state, 0, p->state_size ? p->state_size : 1);
    const char *why = NULL;
    if (p->init != NULL && p->init(state, ctx, &why) != 0) {
        if (why == NULL) {
            fuzz_fail("%s: init failed without saying why", p->name);
        }
        /* As input.c does: the parser is dropped (destroyed) at once. */
        if (p->destroy != NULL) {
            p->destroy(state);
        }
        free(state);
        return;
    }

    struct fuzz_sink *sink = fuzz_sink_get();
    struct fa_event ev;
    uint64_t last = 0;
    for (size_t i = 0; i < n; i++) {
        if (blank(d + lines[i].off, lines[i].len)) {
            continue;
        }
        struct fa_line l = {fuzz_dup(d + lines[i].off, lines[i].len),
                            lines[i].len, i + 1};
        last = l.number;
        for (unsigned again = 0;; again++) {
            if (again == MAX_AGAIN) {
                fuzz_fail("%s: FA_AGAIN %u times for line %llu", p->name,
                          again, (unsigned long long)l.number);
            }
            fa_event_clear(&ev);
            why = NULL;
            enum fa_status st = p->parse(state, &l, &ev, &why);
            if (st == FA_OK || st == FA_AGAIN) {
                ev.file = "fuzz.log";
                ev.line = l.number;
                ev.original = (struct fa_str){l.ptr, l.len};
                fuzz_sink_event(sink, p->name, &ev, ctx->tz);
                if (st == FA_AGAIN) {
                    continue;
                }
            } else if (st == FA_INVALID) {
                check_why(p, why, &l, state);
            } else if (st != FA_SKIP) {
                fuzz_fail("%s: parse returned status %d", p->name, (int)st);
            }
            break;
        }
        free((void *)l.ptr);
    }

    if (p->finish != NULL) {
        for (unsigned k = 0;; k++) {
            if (k == MAX_FINISH) {
                fuzz_fail("%s: finish() never stops", p->name);
            }
            fa_event_clear(&ev);
            if (p->finish(state, &ev) != FA_OK) {
                break;
            }
            ev.file = "fuzz.log";
            ev.line = last;
            fuzz_sink_event(sink, p->name, &ev, ctx->tz);
        }
    }
    if (p->destroy != NULL) {
        p->destroy(state);
    }
    free(state);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    const struct fa_parser *const *reg = fa_parsers();
    const struct fa_parser *p = reg[(data[0] & 0x7f) % nparsers()];
    const char *d = (const char *)data + 1;
    size_t n = size - 1;

    struct fa_ctx ctx = {
        .tz = fuzz_tz("UTC"),
        .mtime = fuzz_mtime(),
    };
    ctx.year_hint = fa_year_for(ctx.mtime, 12, 31);
    char *logformat = NULL;
    if (data[0] & FLAG_LOGFORMAT) {
        const char *nl = memchr(d, '\n', n);
        size_t len = nl ? (size_t)(nl - d) : n;
        size_t take = nl ? len + 1 : len;
        if (len > 0 && d[len - 1] == '\r') {
            len--;
        }
        /* A command-line argument ends at its first NUL. */
        const char *nul = memchr(d, '\0', len);
        logformat = fuzz_dup(d, nul ? (size_t)(nul - d) : len);
        ctx.logformat = logformat;
        d += take;
        n -= take;
    }

    struct span *lines;
    size_t count = split_lines(d, n, &lines);
    probe_all(d, lines, count);
    run_parser(p, &ctx, d, lines, count);
    free(lines);
    free(logformat);
    return 0;
}

/* Values of a "--proftpd-logformat" in a fixture's <case>.args (one
 * argument a line, the value on the next line or after "="), or NULL. */
static char *args_logformat(const char *logpath)
{
    size_t n = strlen(logpath);
    if (n < 4 || strcmp(logpath + n - 4, ".log") != 0) {
        return NULL;
    }
    char *path = fuzz_dup(logpath, n + 1);
    memcpy(path + n - 4, ".args", 6);
    FILE *f = fopen(path, "r");
    free(path);
    if (f == NULL) {
        return NULL;
    }
    static const char opt[] = "--proftpd-logformat";
    char line[8192];
    char *value = NULL;
    bool next = false;
    while (value == NULL && fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (next) {
            value = fuzz_dup(line, strlen(line));
        } else if (strcmp(line, opt) == 0) {
            next = true;
        } else if (strncmp(line, opt, sizeof(opt) - 1) == 0 &&
                   line[sizeof(opt) - 1] == '=') {
            const char *v = line + sizeof(opt);
            value = fuzz_dup(v, strlen(v));
        }
    }
    fclose(f);
    return value;
}

void fuzz_expand_fixture(const char *path, const uint8_t *data, size_t size,
                         fuzz_run_fn run)
{
    size_t np = nparsers();
    char *fmt = NULL;
    if (path == NULL && size >= 2 && data[0] == 1 && data[1] == 'F') {
        /* A built-in seed whose first line is a LogFormat. */
        const uint8_t *nl = memchr(data, '\n', size);
        size_t fl = nl ? (size_t)(nl - data) - 2 : size - 2;
        fmt = fuzz_dup((const char *)data + 2, fl);
        data += nl ? fl + 3 : size;
        size -= nl ? fl + 3 : size;
    } else if (path != NULL) {
        fmt = args_logformat(path);
    }

    uint8_t *buf = malloc(size + 1);
    if (buf == NULL) {
        abort();
    }
    if (size > 0) {
        memcpy(buf + 1, data, size);
    }
    for (size_t i = 0; i < np; i++) {
        buf[0] = (uint8_t)i;
        run(buf, size + 1);
    }
    free(buf);

    /* A fixture read with --proftpd-logformat: the same again with the
     * format as the first line, for every parser. */
    if (fmt != NULL) {
        size_t fl = strlen(fmt);
        buf = malloc(1 + fl + 1 + size);
        if (buf == NULL) {
            abort();
        }
        memcpy(buf + 1, fmt, fl);
        buf[1 + fl] = '\n';
        if (size > 0) {
            memcpy(buf + 2 + fl, data, size);
        }
        for (size_t i = 0; i < np; i++) {
            buf[0] = (uint8_t)(FLAG_LOGFORMAT | i);
            run(buf, size + fl + 2);
        }
        free(buf);
        free(fmt);
    }
}

/* Lines of every format with the hazards of log-formats.md 1.4 and 9;
 * each runs through every parser.  A seed starting with "\x01F" has a
 * LogFormat as its first line: it runs with FLAG_LOGFORMAT. */
const char *const fuzz_builtin_seeds[] = {
    "Thu Nov 26 12:41:58 2026 [pid 8037] CONNECT: Client \"::ffff:192.0.2.7\"\n"
    "Thu Nov 26 12:41:59 2026 [pid 8036] [al]ice] OK LOGIN: Client "
    "\"192.0.2.7\"\n"
    "Thu Nov 26 12:42:01 2026 [pid 8038] [alice] OK RENAME: Client "
    "\"192.0.2.7\", \"/a b /c d\"\n"
    "Thu Nov 26 12:42:02 2026 [pid 8038] [alice] OK UPLOAD: Client "
    "\"192.0.2.7\", \"/x\xff\xfe\", 12 bytes, 0.01Kbyte/sec\n"
    "Thu Nov 26 12:42:03 20266 [pid 1] [bob] FAIL LOGIN: Client \"1.2.3.4\"\n"
    "Fri Apr  4 19:20:44 2025 [pid 10804] \"\" from \"127.0.0.1\": "
    "priv_sock_get_cmdFri Apr  4 19:20:44 2025 [pid 10862] CONNECT: Client "
    "\"127.0.0.1\"\r\n",
    "Thu Sep  2 10:12:01 2026 1 ::ffff:10.0.0.1 1024 /pub/a b.txt b _ o a "
    "guest@ ftp 0 * c\n"
    "Wed Oct 03 10:12:01 2026 0 host 0 /x b _ d r u ftp 1 * i\n",
    "Nov 26 12:41:58 vm vsftpd[8037]: [eve] FAIL LOGIN: Client \"1.2.3.4\"\n"
    "Nov 26 12:41:58 vm sshd[11919]: Accepted password for alice from "
    "192.0.2.1 port 51234 ssh2\n"
    "ott 16 22:40:40 p1 sftp-server[1641]: open \"/f\" flags WRITE,CREATE,"
    "TRUNCATE mode 0644\n"
    "ott 16 22:40:41 p1 sftp-server[1641]: close \"/f\" bytes read 0 "
    "written 99\n"
    "2026-11-26T12:46:12.600430+00:00 vm internal-sftp[17]: posix-rename old "
    "\"/a.tmp\" new \"/a\"\n"
    "<38>1 2019-07-08T17:40:16.95-04:00 h sshd 57915 - - Failed password "
    "for invalid user x from 10.0.0.1 port 22 ssh2\n"
    "srv sshd[13709]: Invalid user admin from 203.0.113.9\n"
    "Nov 26 12:45:15 vm pure-ftpd: (?@127.0.0.10) [WARNING] Authentication "
    "failed for user [root]\n"
    "Nov 26 12:45:16 vm pure-ftpd: (u@127.0.0.10) [NOTICE] /h//f uploaded  "
    "(5 bytes, 0.1KB/sec)\n"
    "Nov 26 12:45:17 vm proftpd[123] vm (1.2.3.4[1.2.3.4]): USER bob: Login "
    "successful.\n",
    "2026-11-26 12:41:58,123 vm proftpd[123] vm (::ffff:1.2.3.4[::ffff:1.2.3."
    "4]): USER al\"ice (Login failed): Incorrect password\n"
    "2026-11-26 12:41:59,123 vm proftpd[123] vm: FTP session closed.\n",
    "1.2.3.4 UNKNOWN bob [26/Nov/2026:12:42:58 +0000] \"PASS (hidden)\" 230 -\n"
    "1.2.3.4 UNKNOWN bob [26/Nov/2026:12:42:59 +0000] \"STOR //x\" 226 10\n"
    "1.2.3.4 UNKNOWN bob [26/Nov/2026:12:43:00 +0000] \"RNFR a\" 350 -\n"
    "1.2.3.4 UNKNOWN bob [26/Nov/2026:12:43:01 +0000] \"RNTO b\" 250 -\n",
    "[26/Nov/2026:12:42:58 +0100] 192.0.2.1 bob@site.be STOR \"/x\" 226 5\n",
    "Jul 30 09:51:33 10.71.57.0 u78774450 close \"/index.php\" bytes read 683 "
    "written 0\n"
    "[10.71.57.0|get|1|683|0|0|0|2f696e6465782e706870|]\n",
    "host - bob [26/Nov/2026:12:42:58 +0000] \"PUT /a%20b\" 200 12\n"
    "1764161000 5f3a1b2c.1a2b bob host U 12 0 /a b\n"
    "#Software: Pure-FTPd\n#Fields: date time c-ip cs-method cs-uri-stem "
    "sc-status cs-username sc-bytes\n"
    "2026-11-26 12:42:58 1.2.3.4 []created /a 226 bob 12\n",
    "\x01" "F%v [%P] %h %t \"%r\" %s\n"
    "e2e proftpd [77] 127.0.0.66 [26/Nov/2026:12:43:01 +0000] "
    "\"PASS (hidden)\" 530\n",
    "\x01" "F%{iso8601} %a %{protocol} %u %m \"%F\" \"%f\" %s %b "
    "%{file-modified} %{transfer-status} %{transfer-type}\n"
    "2026-11-26 12:43:01,670 1.2.3.4 sftp bob STOR \"a\" \"/h/a\" 226 12 true "
    "success binary\n",
    "\n\r\n \t\r\n\x01\x02\x7f\n\xff\xfe\xfd\n\"\"\"\n[]]]\n::ffff:\n",
    NULL,
};
