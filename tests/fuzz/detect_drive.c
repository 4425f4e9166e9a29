#include "detect_drive.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../../analysis/report.h"
#include "fuzz.h"

static struct fa_str view(const char *s)
{
    return (struct fa_str){s, strlen(s)};
}

static void feed(struct fa_detect *d, int64_t t, enum fa_action action,
                 enum fa_outcome outcome, const char *user, const char *ip,
                 const char *path, int64_t bytes, uint64_t line)
{
    struct fa_event ev;
    fa_event_clear(&ev);
    ev.time_us = t;
    ev.action = action;
    ev.outcome = outcome;
    ev.daemon = FA_DAEMON_VSFTPD;
    ev.proto = FA_PROTO_FTP;
    ev.user = view(user);
    ev.ip = view(ip);
    ev.path = view(path);
    ev.bytes = bytes;
    ev.file = "fuzz.log";
    ev.line = line;
    fa_detect_event(d, &ev);
}

static void day(struct fa_detect *d, int64_t t0, uint64_t *line)
{
    static const char *const pages[] = {"/www/index.html", "/www/about.php",
                                        "/www/js/app.js"};
    const int64_t s = 1000000;
    for (int i = 0; i < 4; i++) {
        feed(d, t0 + i * s, FA_ACT_LOGIN, FA_OUT_FAILURE, "webmaster",
             "203.0.113.9", "", -1, ++*line);
    }
    feed(d, t0 + 10 * s, FA_ACT_LOGIN, FA_OUT_SUCCESS, "webmaster",
         "203.0.113.9", "", -1, ++*line);
    for (int i = 0; i < 3; i++) {
        feed(d, t0 + (11 + i) * s, FA_ACT_DOWNLOAD, FA_OUT_SUCCESS,
             "webmaster", "203.0.113.9", pages[i], 1000, ++*line);
        feed(d, t0 + (12 + i) * s, FA_ACT_UPLOAD, FA_OUT_SUCCESS,
             "webmaster", "203.0.113.9", pages[i], 1200, ++*line);
    }
    feed(d, t0 + 20 * s, FA_ACT_UPLOAD, FA_OUT_SUCCESS, "webmaster",
         "203.0.113.9", "/www/images/x.php", 90, ++*line);
    feed(d, t0 + 3600 * s, FA_ACT_LOGIN, FA_OUT_SUCCESS, "owner",
         "198.51.100.7", "", -1, ++*line);
    feed(d, t0 + 3601 * s, FA_ACT_UPLOAD, FA_OUT_SUCCESS, "owner",
         "198.51.100.7", "/home/owner/photo.jpg", 5000, ++*line);
}

void fuzz_drive_detector(struct fa_detect *d, int64_t clock_us)
{
    uint64_t line = 0;
    /* Near the detector's own clock, a year on, and in 2026. */
    day(d, clock_us, &line);
    day(d, clock_us + 366LL * 86400 * 1000000, &line);
    day(d, 1775206800LL * 1000000, &line);
    fa_detect_finish(d);
    for (size_t i = 0; i < fa_detect_nfindings(d); i++) {
        const struct fa_finding *f = fa_detect_finding(d, i);
        if (f->rule == NULL || f->user == NULL || f->host == NULL) {
            fuzz_fail("finding %zu read back without rule, user or host", i);
        }
    }
    cJSON *report = fa_report_json(d);
    char *text = cJSON_PrintUnformatted(report);
    if (text == NULL) {
        fuzz_fail("the report does not print");
    }
    size_t n = strlen(text);
    if (!fuzz_utf8_valid(text, n)) {
        fuzz_fail("the report is not valid UTF-8");
    }
    cJSON *back = cJSON_Parse(text);
    if (back == NULL) {
        fuzz_fail("the report does not read back as JSON");
    }
    cJSON_Delete(back);
    free(text);
    cJSON_Delete(report);
}
