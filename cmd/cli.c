#include "cli.h"

#include <errno.h>

#include <stdlib.h>
#include <string.h>

#include "../parsers/strutil.h"

bool fa_read_opt(struct fa_read_opts *o, int opt, const char *arg)
{
    switch (opt) {
    case FA_OPT_TZ:
        o->tz = arg;
        return true;
    case FA_OPT_FORMAT:
        o->format = arg;
        return true;
    case FA_OPT_LOGFORMAT:
        o->logformat = arg;
        return true;
    case FA_OPT_MTIME:
        o->mtime = arg;
        return true;
    case 'q':
        o->quiet = true;
        return true;
    default:
        return false;
    }
}

struct fa_input *fa_open_inputs(const struct fa_read_opts *o, struct fa_tz *tz,
                                char **paths, int npaths)
{
    if (fa_tz_open(tz, o->tz) != 0) {
        fprintf(stderr, "ftpaudit: unknown time zone '%s' (want an IANA name "
                        "such as Europe/Brussels)\n", o->tz);
        return NULL;
    }
    if (o->format != NULL && strcmp(o->format, "auto") != 0 &&
        fa_parser_find(o->format) == NULL) {
        fprintf(stderr, "ftpaudit: unknown input format '%s' (see "
                        "'ftpaudit list-formats')\n", o->format);
        return NULL;
    }
    int64_t mtime = 0;
    if (o->mtime != NULL) {
        struct fa_civil c = {0};
        if (strlen(o->mtime) != 10 || o->mtime[4] != '-' ||
            o->mtime[7] != '-') {
            fprintf(stderr, "ftpaudit: --mtime wants YYYY-MM-DD\n");
            return NULL;
        }
        c.year = fa_digits(o->mtime, 4);
        c.mon = fa_digits(o->mtime + 5, 2);
        c.day = fa_digits(o->mtime + 8, 2);
        c.hour = 23;
        c.min = 59;
        c.sec = 59;
        if (!fa_civil_valid(&c)) {
            fprintf(stderr, "ftpaudit: --mtime wants YYYY-MM-DD\n");
            return NULL;
        }
        mtime = fa_civil_to_epoch(&c);
    }
    if (npaths == 0) {
        fprintf(stderr, "ftpaudit: no input given (a file, a folder or - "
                        "for standard input)\n");
        return NULL;
    }
    struct fa_input_opts io = {
        .tz = tz,
        .format = o->format && strcmp(o->format, "auto") != 0 ? o->format
                                                              : NULL,
        .logformat = o->logformat,
        .mtime = mtime,
    };
    struct fa_input *in = fa_input_create(&io);
    for (int i = 0; i < npaths; i++) {
        fa_input_add(in, paths[i]);
    }
    return in;
}

FILE *fa_open_output(const char *path)
{
    if (path == NULL || strcmp(path, "-") == 0) {
        return stdout;
    }
    FILE *out = fopen(path, "w");
    if (out == NULL) {
        fprintf(stderr, "ftpaudit: %s: %s\n", path, strerror(errno));
    }
    return out;
}

bool fa_any_input(struct fa_input *in)
{
    for (size_t i = 0; i < fa_input_nfiles(in); i++) {
        enum fa_file_state s = fa_input_file(in, i)->state;
        if (s == FA_FILE_READ || s == FA_FILE_EMPTY) {
            return true;
        }
    }
    return false;
}

static void put_safe(FILE *f, const char *s, size_t n)
{
    char *tmp = malloc(4 * n + 1);
    if (tmp == NULL) {
        abort();
    }
    fa_term_safe(tmp, s, n);
    fputs(tmp, f);
    free(tmp);
}

void fa_print_summary(FILE *f, struct fa_input *in)
{
    for (size_t i = 0; i < fa_input_nfiles(in); i++) {
        struct fa_file_stats *s = fa_input_file(in, i);
        put_safe(f, s->path, strlen(s->path));
        switch (s->state) {
        case FA_FILE_READ:
        case FA_FILE_PENDING:
            fprintf(f, ": %s%s, %llu lines, %llu events, %llu skipped, "
                       "%llu malformed",
                    s->format ? s->format : "?", s->gzip ? " (gzip)" : "",
                    (unsigned long long)s->lines,
                    (unsigned long long)s->events,
                    (unsigned long long)s->skipped,
                    (unsigned long long)s->invalid);
            break;
        case FA_FILE_EMPTY:
            fputs(": empty", f);
            break;
        case FA_FILE_UNKNOWN:
            fputs(": skipped, no supported log format", f);
            break;
        case FA_FILE_UNREADABLE:
            fputs(": unreadable", f);
            break;
        case FA_FILE_NOTREG:
            fputs(": skipped, not a regular file", f);
            break;
        case FA_FILE_DUPLICATE:
            fputs(": skipped, the same file as another input", f);
            break;
        }
        if (s->message[0] != '\0' && s->state != FA_FILE_UNKNOWN &&
            s->state != FA_FILE_NOTREG && s->state != FA_FILE_DUPLICATE) {
            fputs(" (", f);
            put_safe(f, s->message, strlen(s->message));
            fputs(")", f);
        }
        fputc('\n', f);
        for (size_t k = 0; k < s->nexamples; k++) {
            const struct fa_example *e = &s->examples[k];
            fprintf(f, "  line %llu: %s: ", (unsigned long long)e->line,
                    e->why);
            put_safe(f, e->text, e->len > 120 ? 120 : e->len);
            fputc('\n', f);
        }
    }
}

/* ECS categorisation of each action, written as one piece per action and
 * outcome: from the end of @timestamp to the start of event.timezone.
 * The action and outcome words are fa_action_name() and
 * fa_outcome_name(). */
#define ECS_HEAD(cat, type, act, out)                                        \
    "\",\"event\":{\"kind\":\"event\",\"category\":[" cat "],\"type\":[" type \
    "],\"action\":\"" act "\",\"outcome\":\"" out "\",\"timezone\":"
#define ECS_TEXT(s) {s, sizeof(s) - 1}
#define ECS_ROW(a, act, cat, ok, fail)                                       \
    [a] = {                                                                  \
        [FA_OUT_UNKNOWN] = ECS_TEXT(ECS_HEAD(cat, ok, act, "unknown")),      \
        [FA_OUT_SUCCESS] = ECS_TEXT(ECS_HEAD(cat, ok, act, "success")),      \
        [FA_OUT_FAILURE] = ECS_TEXT(ECS_HEAD(cat, fail, act, "failure")),    \
    }
static const struct {
    const char *text;
    size_t len;
} ecs_head[FA_ACT_COUNT][3] = {
    ECS_ROW(FA_ACT_NONE, "none", "\"network\"", "\"info\"", "\"info\""),
    ECS_ROW(FA_ACT_CONNECT, "connect", "\"network\"",
            "\"connection\",\"start\"", "\"connection\",\"denied\""),
    ECS_ROW(FA_ACT_LOGIN, "login", "\"authentication\"", "\"start\"",
            "\"info\""),
    ECS_ROW(FA_ACT_LOGOUT, "logout", "\"authentication\"", "\"end\"",
            "\"end\""),
    ECS_ROW(FA_ACT_UPLOAD, "upload", "\"file\"", "\"creation\"",
            "\"creation\""),
    ECS_ROW(FA_ACT_DOWNLOAD, "download", "\"file\"", "\"access\"",
            "\"access\""),
    ECS_ROW(FA_ACT_DELETE, "delete", "\"file\"", "\"deletion\"",
            "\"deletion\""),
    ECS_ROW(FA_ACT_RENAME, "rename", "\"file\"", "\"change\"", "\"change\""),
    ECS_ROW(FA_ACT_MKDIR, "mkdir", "\"file\"", "\"creation\"",
            "\"creation\""),
    ECS_ROW(FA_ACT_RMDIR, "rmdir", "\"file\"", "\"deletion\"",
            "\"deletion\""),
    ECS_ROW(FA_ACT_CHMOD, "chmod", "\"file\"", "\"change\"", "\"change\""),
    ECS_ROW(FA_ACT_COMMAND, "command", "\"network\"", "\"protocol\"",
            "\"protocol\""),
};

void fa_write_event_ecs(struct jw *w, const struct fa_event *ev,
                        const struct fa_tz *tz)
{
    char tbuf[40];
    enum fa_action a = (unsigned)ev->action < FA_ACT_COUNT ? ev->action
                                                           : FA_ACT_NONE;
    unsigned o = (unsigned)ev->outcome <= FA_OUT_FAILURE ? ev->outcome
                                                         : FA_OUT_UNKNOWN;
    jw_lit(w, "{\"@timestamp\":\"");
    jw_raw(w, tbuf, fa_time_rfc3339(ev->time_us, tbuf));
    jw_raw(w, ecs_head[a][o].text, ecs_head[a][o].len);
    if (ev->tz_source == FA_TZ_EXPLICIT) {
        jw_char(w, '"');
        jw_raw(w, tbuf, fa_offset_text(ev->utc_offset, tbuf));
        jw_char(w, '"');
    } else {
        jw_str(w, tz->name, strlen(tz->name));
    }
    jw_lit(w, ",\"original\":");
    jw_str(w, ev->original.ptr, ev->original.len);
    jw_char(w, '}');
    if (ev->user.len > 0) {
        jw_lit(w, ",\"user\":{\"name\":");
        jw_str(w, ev->user.ptr, ev->user.len);
        jw_char(w, '}');
    }
    if (ev->ip.len > 0 || ev->port != 0) {
        jw_lit(w, ",\"source\":{");
        bool comma = false;
        if (ev->ip.len > 0) {
            /* ECS source.ip must be an address; a host name goes to
             * source.domain. */
            jw_lit(w, fa_is_ip(ev->ip) ? "\"ip\":" : "\"domain\":");
            jw_str(w, ev->ip.ptr, ev->ip.len);
            comma = true;
        }
        if (ev->port != 0) {
            jw_lit(w, comma ? ",\"port\":" : "\"port\":");
            jw_u64(w, ev->port);
        }
        jw_char(w, '}');
    }
    if (ev->path.len > 0) {
        jw_lit(w, ",\"file\":{\"path\":");
        jw_str(w, ev->path.ptr, ev->path.len);
        if (ev->bytes >= 0) {
            jw_lit(w, ",\"size\":");
            jw_i64(w, ev->bytes);
        }
        jw_char(w, '}');
    }
    if (ev->proto != FA_PROTO_UNKNOWN) {
        jw_lit(w, ",\"network\":{\"protocol\":\"");
        jw_lit(w, fa_proto_name(ev->proto));
        jw_lit(w, "\"}");
    }
    if (ev->host.len > 0) {
        jw_lit(w, ",\"host\":{\"name\":");
        jw_str(w, ev->host.ptr, ev->host.len);
        jw_char(w, '}');
    }
    if (ev->pid != 0 || ev->daemon != FA_DAEMON_UNKNOWN) {
        jw_lit(w, ",\"process\":{");
        if (ev->daemon != FA_DAEMON_UNKNOWN) {
            jw_lit(w, "\"name\":\"");
            jw_lit(w, fa_daemon_name(ev->daemon));
            jw_char(w, '"');
        }
        if (ev->pid != 0) {
            jw_lit(w, ev->daemon != FA_DAEMON_UNKNOWN ? ",\"pid\":"
                                                      : "\"pid\":");
            jw_u64(w, ev->pid);
        }
        jw_char(w, '}');
    }
    jw_lit(w, ",\"log\":{\"file\":{\"path\":");
    jw_str(w, ev->file ? ev->file : "", ev->file ? strlen(ev->file) : 0);
    jw_lit(w, ",\"line\":");
    jw_u64(w, ev->line);
    jw_lit(w, "}}");
    bool extra = ev->anonymous || ev->session.len || ev->detail.len ||
                 ev->path2.len || (ev->bytes >= 0 && ev->path.len == 0) ||
                 ev->tz_source == FA_TZ_NONE;
    if (extra) {
        jw_lit(w, ",\"ftpaudit\":{");
        const char *sep = "";
        if (ev->path2.len > 0) {
            jw_lit(w, "\"target_path\":");
            jw_str(w, ev->path2.ptr, ev->path2.len);
            sep = ",";
        }
        if (ev->bytes >= 0 && ev->path.len == 0) {
            jw_lit(w, sep);
            jw_lit(w, "\"bytes\":");
            jw_i64(w, ev->bytes);
            sep = ",";
        }
        if (ev->anonymous) {
            jw_lit(w, sep);
            jw_lit(w, "\"anonymous\":true");
            sep = ",";
        }
        if (ev->session.len > 0) {
            jw_lit(w, sep);
            jw_lit(w, "\"session\":");
            jw_str(w, ev->session.ptr, ev->session.len);
            sep = ",";
        }
        if (ev->detail.len > 0) {
            jw_lit(w, sep);
            jw_lit(w, "\"detail\":");
            jw_str(w, ev->detail.ptr, ev->detail.len);
            sep = ",";
        }
        if (ev->tz_source == FA_TZ_NONE) {
            jw_lit(w, sep);
            jw_lit(w, "\"time_from_mtime\":true");
        }
        jw_char(w, '}');
    }
    jw_char(w, '}');
}
