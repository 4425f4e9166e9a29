/* Unit tests of cmd/pipeline.c: what each kind of batch holds of the
 * events the input gives, over several batches and two files. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../cmd/pipeline.h"
#include "../../parsers/input.h"
#include "../../parsers/timeconv.h"
#include "check.h"

static char dir[] = "/tmp/fa-pipeline-XXXXXX";
static char vs_path[256], ssh_path[256];

/* Enough lines for several batches, with every kind of field: renames
 * (two names), modes (detail), anonymous logins, failures; and an
 * OpenSSH file (hosts, ports). */
static void write_logs(void)
{
    snprintf(vs_path, sizeof(vs_path), "%s/vsftpd.log", dir);
    snprintf(ssh_path, sizeof(ssh_path), "%s/auth.log", dir);
    FILE *f = fopen(vs_path, "w");
    for (int i = 0; i < 9000; i++) {
        int s = i / 10, m = s / 60 % 60, h = s / 3600;
        const char *stamp = "Mon Jan  5";
        switch (i % 6) {
        case 0:
            fprintf(f, "%s %02d:%02d:%02d 2026 [pid %d] [u%d] OK LOGIN: "
                       "Client \"198.51.100.%d\"\n",
                    stamp, h, m, s % 60, 1000 + i, i % 37, i % 200);
            break;
        case 1:
            fprintf(f, "%s %02d:%02d:%02d 2026 [pid %d] [u%d] OK UPLOAD: "
                       "Client \"198.51.100.%d\", \"/var/www/u%d/p%d.php\", "
                       "%d bytes, 12.50Kbyte/sec\n",
                    stamp, h, m, s % 60, 1000 + i, i % 37, i % 200, i % 37,
                    i, i * 7);
            break;
        case 2:
            fprintf(f, "%s %02d:%02d:%02d 2026 [pid %d] [u%d] OK RENAME: "
                       "Client \"2001:db8::%x\", \"/a/b%d /a/c%d\"\n",
                    stamp, h, m, s % 60, 1000 + i, i % 37, i, i, i);
            break;
        case 3:
            fprintf(f, "%s %02d:%02d:%02d 2026 [pid %d] [u%d] OK CHMOD: "
                       "Client \"198.51.100.%d\", \"/a/m%d 644\"\n",
                    stamp, h, m, s % 60, 1000 + i, i % 37, i % 200, i);
            break;
        case 4:
            fprintf(f, "%s %02d:%02d:%02d 2026 [pid %d] [ftp] OK LOGIN: "
                       "Client \"203.0.113.%d\", anon password \"x@y\"\n",
                    stamp, h, m, s % 60, 1000 + i, i % 200);
            break;
        default:
            fprintf(f, "%s %02d:%02d:%02d 2026 [pid %d] [u%d] FAIL LOGIN: "
                       "Client \"192.0.2.%d\"\n",
                    stamp, h, m, s % 60, 1000 + i, i % 37, i % 200);
            break;
        }
    }
    fclose(f);
    f = fopen(ssh_path, "w");
    for (int i = 0; i < 3000; i++) {
        int s = i / 3, m = s / 60 % 60, h = s / 3600;
        fprintf(f, "2026-01-05T%02d:%02d:%02d.000000+00:00 web%d sshd[%d]: "
                   "Accepted password for site%d from 192.0.2.%d port %d "
                   "ssh2\n",
                h, m, s % 60, i % 3, 5000 + i, i % 11, i % 250,
                40000 + i);
    }
    fclose(f);
}

/* An event with its strings copied, to compare after the input moved on. */
struct copy {
    struct fa_event ev;
    char *s[9];
};

static struct fa_str keep(char **slot, struct fa_str v)
{
    *slot = malloc(v.len + 1);
    if (v.len > 0) {
        memcpy(*slot, v.ptr, v.len);
    }
    (*slot)[v.len] = '\0';
    return (struct fa_str){v.len > 0 ? *slot : v.ptr, v.len};
}

static struct fa_input *open_input(struct fa_tz *tz,
                                   struct fa_input_opts *opts)
{
    fa_tz_open(tz, "UTC");
    memset(opts, 0, sizeof(*opts));
    opts->tz = tz;
    struct fa_input *in = fa_input_create(opts);
    fa_input_add(in, vs_path);
    fa_input_add(in, ssh_path);
    return in;
}

static struct copy *reference(size_t *n)
{
    struct fa_tz tz;
    struct fa_input_opts opts;
    struct fa_input *in = open_input(&tz, &opts);
    size_t cap = 16384;
    struct copy *c = calloc(cap, sizeof(*c));
    const struct fa_event *ev;
    *n = 0;
    while (fa_input_next(in, &ev) > 0 && *n < cap) {
        struct copy *k = &c[(*n)++];
        k->ev = *ev;
        k->ev.host = keep(&k->s[0], ev->host);
        k->ev.user = keep(&k->s[1], ev->user);
        k->ev.ip = keep(&k->s[2], ev->ip);
        k->ev.path = keep(&k->s[3], ev->path);
        k->ev.path2 = keep(&k->s[4], ev->path2);
        k->ev.session = keep(&k->s[5], ev->session);
        k->ev.detail = keep(&k->s[6], ev->detail);
        k->ev.original = keep(&k->s[7], ev->original);
        struct fa_str file = {ev->file, strlen(ev->file)};
        k->ev.file = keep(&k->s[8], file).ptr;
    }
    fa_input_destroy(in);
    return c;
}

static bool same_str(struct fa_str a, struct fa_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static bool zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != 0) {
            return false;
        }
    }
    return true;
}

/* What the detector reads is the input's in every kind of batch. */
static bool same_hot(const struct fa_event *a, const struct fa_event *b)
{
    return a->time_us == b->time_us && a->utc_offset == b->utc_offset &&
           a->action == b->action && a->outcome == b->outcome &&
           a->anonymous == b->anonymous && a->bytes == b->bytes &&
           same_str(a->host, b->host) && same_str(a->user, b->user) &&
           same_str(a->ip, b->ip) && same_str(a->path, b->path) &&
           same_str(a->path2, b->path2) && a->file == b->file &&
           a->line == b->line;
}

static bool same_cold(const struct fa_event *a, const struct fa_event *b)
{
    return a->tz_source == b->tz_source && a->pid == b->pid &&
           a->port == b->port && a->daemon == b->daemon &&
           a->proto == b->proto && same_str(a->session, b->session) &&
           same_str(a->detail, b->detail);
}

static void run(enum fa_batch_fields fields, const struct copy *ref,
                size_t nref)
{
    struct fa_tz tz;
    struct fa_input_opts opts;
    struct fa_input *in = open_input(&tz, &opts);
    struct fa_pipeline *p = fa_pipeline_start(in, fields, false, NULL, NULL);
    const struct fa_batch *b;
    size_t n = 0, batches = 0, hot = 0, cold = 0, orig = 0, aligned = 0;
    size_t with_pid = 0, with_detail = 0, with_path2 = 0;
    while ((b = fa_pipeline_next(p)) != NULL) {
        batches++;
        for (size_t i = 0; i < b->n && n < nref; i++, n++) {
            const struct fa_event *e = &b->ev[i];
            const struct fa_event *r = &ref[n].ev;
            /* The file names are the input's: compare them as text. */
            struct fa_event x = *r;
            x.file = e->file != NULL && r->file != NULL &&
                             strcmp(e->file, r->file) == 0
                         ? e->file
                         : r->file;
            hot += same_hot(e, &x);
            aligned += ((uintptr_t)e & 63) == 0;
            with_pid += r->pid != 0;
                    with_detail += r->detail.len > 0;
            with_path2 += r->path2.len > 0;
            if (fields == FA_BATCH_DETECT) {
                cold += zero((const char *)e + FA_EVENT_HOT,
                             sizeof(*e) - FA_EVENT_HOT);
                orig += e->original.len == 0;
            } else {
                cold += same_cold(e, r);
                orig += same_str(e->original, r->original);
            }
        }
        fa_pipeline_release(p, b);
    }
    fa_pipeline_finish(p, NULL);
    fa_input_destroy(in);
    CHECK(n == nref);
    CHECK(batches >= 3);
    CHECK(hot == nref);
    CHECK(cold == nref);
    CHECK(orig == nref);
    CHECK(aligned == nref);
    /* The logs do have what the cold part holds. */
    CHECK(with_pid == nref);
    CHECK(with_detail > 0);
    CHECK(with_path2 > 0);
}

int main(void)
{
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    write_logs();
    size_t nref;
    struct copy *ref = reference(&nref);
    CHECK(nref > 11000);
    run(FA_BATCH_DETECT, ref, nref);
    run(FA_BATCH_ALL, ref, nref);
    for (size_t i = 0; i < nref; i++) {
        for (int k = 0; k < 9; k++) {
            free(ref[i].s[k]);
        }
    }
    free(ref);
    unlink(vs_path);
    unlink(ssh_path);
    rmdir(dir);
    return check_done();
}
