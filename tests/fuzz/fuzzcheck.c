/* Checks shared by the fuzz targets; see fuzz.h. */
#include "fuzz.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/*
 * UndefinedBehaviorSanitizer only prints a report and goes on, unless told
 * to halt; then neither libFuzzer nor the replay would see the failure.
 * The runtime asks for these defaults before main(); UBSAN_OPTIONS in the
 * environment still overrides them.  Unused without the sanitizer.
 */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
    return "halt_on_error=1:print_stacktrace=1";
}

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

bool fuzz_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < k) {
            return false;
        }
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80) {
                return false;
            }
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        /* The shortest form only, no surrogates, at most U+10FFFF. */
        static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        i += k;
    }
    return true;
}

char *fuzz_dup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d == NULL) {
        abort();
    }
    if (n > 0) {
        memcpy(d, s, n);
    }
    d[n] = '\0';
    return d;
}

static void check_view(const char *who, const char *field, struct fa_str v)
{
    if (v.len > 0 && v.ptr == NULL) {
        fuzz_fail("%s: event.%s has length %zu and no pointer", who, field,
                  v.len);
    }
    /* A view longer than any line is a length gone wrong (underflow). */
    if (v.len > 16 * FA_LINE_MAX) {
        fuzz_fail("%s: event.%s has length %zu", who, field, v.len);
    }
}

void fuzz_check_event(const char *who, const struct fa_event *ev)
{
    if ((unsigned)ev->action >= FA_ACT_COUNT) {
        fuzz_fail("%s: event.action %d out of range", who, (int)ev->action);
    }
    if ((unsigned)ev->outcome > FA_OUT_FAILURE) {
        fuzz_fail("%s: event.outcome %d out of range", who,
                  (int)ev->outcome);
    }
    if ((unsigned)ev->daemon >= FA_DAEMON_COUNT) {
        fuzz_fail("%s: event.daemon %d out of range", who, (int)ev->daemon);
    }
    if ((unsigned)ev->proto >= FA_PROTO_COUNT) {
        fuzz_fail("%s: event.proto %d out of range", who, (int)ev->proto);
    }
    if ((unsigned)ev->tz_source > FA_TZ_NONE) {
        fuzz_fail("%s: event.tz_source %d out of range", who,
                  (int)ev->tz_source);
    }
    check_view(who, "host", ev->host);
    check_view(who, "user", ev->user);
    check_view(who, "ip", ev->ip);
    check_view(who, "session", ev->session);
    check_view(who, "path", ev->path);
    check_view(who, "path2", ev->path2);
    check_view(who, "detail", ev->detail);
    check_view(who, "original", ev->original);
}

struct fuzz_sink *fuzz_sink_get(void)
{
    static struct fuzz_sink sink;
    if (sink.f == NULL) {
        sink.f = open_memstream(&sink.buf, &sink.size);
        if (sink.f == NULL) {
            abort();
        }
        jw_init(&sink.w, sink.f);
    }
    jw_flush(&sink.w);
    rewind(sink.f);
    fflush(sink.f);
    sink.events = 0;
    return &sink;
}

/* One NDJSON line (without its "\n"), as written for ev. */
static void check_line(const char *who, const char *line, size_t n,
                       const struct fa_event *ev)
{
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)line[i] < 0x20) {
            fuzz_fail("%s: raw control byte 0x%02x at offset %zu of the "
                      "event JSON",
                      who, (unsigned char)line[i], i);
        }
    }
    if (!fuzz_utf8_valid(line, n)) {
        fuzz_fail("%s: event JSON is not valid UTF-8: %.*s", who, (int)n,
                  line);
    }
    char *copy = fuzz_dup(line, n);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(copy, &end, 1);
    if (root == NULL || !cJSON_IsObject(root)) {
        fuzz_fail("%s: event JSON does not parse (near offset %td): %s", who,
                  end ? end - copy : -1, copy);
    }
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(root, "@timestamp");
    const cJSON *event = cJSON_GetObjectItemCaseSensitive(root, "event");
    const cJSON *action = cJSON_GetObjectItemCaseSensitive(event, "action");
    const cJSON *orig = cJSON_GetObjectItemCaseSensitive(event, "original");
    if (!cJSON_IsString(ts) || !cJSON_IsString(action) ||
        !cJSON_IsString(orig)) {
        fuzz_fail("%s: event JSON lacks @timestamp, event.action or "
                  "event.original: %s",
                  who, copy);
    }
    /* "YYYY-MM-DDThh:mm:ss[.fff[fff]]Z" */
    size_t tl = strlen(ts->valuestring);
    if ((tl != 20 && tl != 24 && tl != 27) || ts->valuestring[4] != '-' ||
        ts->valuestring[10] != 'T' || ts->valuestring[tl - 1] != 'Z') {
        fuzz_fail("%s: @timestamp \"%s\" is not RFC 3339 UTC", who,
                  ts->valuestring);
    }
    struct fa_str o = ev->original;
    if (o.len > 0 && memchr(o.ptr, '\0', o.len) == NULL &&
        fuzz_utf8_valid(o.ptr, o.len) &&
        (strlen(orig->valuestring) != o.len ||
         memcmp(orig->valuestring, o.ptr, o.len) != 0)) {
        fuzz_fail("%s: event.original does not give the line back:\n"
                  "  line %.*s\n  json %s",
                  who, (int)o.len, o.ptr, orig->valuestring);
    }
    cJSON_Delete(root);
    free(copy);
}

void fuzz_sink_event(struct fuzz_sink *s, const char *who,
                     const struct fa_event *ev, const struct fa_tz *tz)
{
    fuzz_check_event(who, ev);
    if (fflush(s->f) != 0) {
        abort();
    }
    size_t start = s->size;
    fa_write_event_ecs(&s->w, ev, tz);
    jw_char(&s->w, '\n');
    jw_flush(&s->w);
    if (s->w.failed || fflush(s->f) != 0) {
        fuzz_fail("%s: writing to the memory stream failed", who);
    }
    const char *line = s->buf + start;
    size_t n = s->size - start;
    if (n == 0 || line[n - 1] != '\n') {
        fuzz_fail("%s: event JSON does not end with a newline", who);
    }
    check_line(who, line, n - 1, ev);
    s->events++;
    /* Keep the memory stream small: later events start over. */
    if (s->size > (1u << 20)) {
        rewind(s->f);
        fflush(s->f);
    }
}

const struct fa_tz *fuzz_tz(const char *name)
{
    static struct fa_tz tz;
    static bool open;
    if (!open) {
        if (fa_tz_open(&tz, name) != 0) {
            fprintf(stderr, "fuzz: zone %s not found, UTC used\n", name);
        }
        open = true;
    }
    return &tz;
}

int64_t fuzz_mtime(void)
{
    struct fa_civil c = {2026, 12, 31, 23, 59, 59};
    return fa_civil_to_epoch(&c);
}
