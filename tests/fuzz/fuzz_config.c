/*
 * Fuzz target: the JSON configuration reader (--config FILE).
 *
 * fa_config_parse either refuses the text, with a message that is a
 * string within its buffer, or gives a configuration whose extension
 * lists fit their arrays; a detector made with that configuration must
 * run a day of events and write a valid report (detect_drive.c), however
 * odd its thresholds.  Seeds: seeds-config/ and the built-in ones.
 */
#include <stdlib.h>
#include <string.h>

#include "../../analysis/config.h"
#include "detect_drive.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (text == NULL) {
        abort();
    }
    if (size > 0) {
        memcpy(text, data, size);
    }
    struct fa_config cfg;
    fa_config_defaults(&cfg);
    char err[256];
    memset(err, 'x', sizeof(err));
    if (fa_config_parse(&cfg, text, size, err, sizeof(err)) != 0) {
        if (memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0') {
            fuzz_fail("a refused configuration without a message");
        }
    } else {
        if (cfg.nweb > FA_MAX_EXTS || cfg.nscript > FA_MAX_EXTS) {
            fuzz_fail("extension lists of %zu and %zu entries", cfg.nweb,
                      cfg.nscript);
        }
        struct fa_detect *d = fa_detect_create(&cfg, NULL);
        fuzz_drive_detector(d, 1775206800LL * 1000000);
        fa_detect_destroy(d);
    }
    free(text);
    return 0;
}

void fuzz_expand_fixture(const char *path, const uint8_t *data, size_t size,
                         fuzz_run_fn run)
{
    (void)path;
    run(data, size);
}

const char *const fuzz_builtin_seeds[] = {
    "{}",
    "{\"session_gap\": 1800, \"learn_sessions\": 10, \"learn_days\": 14}",
    "{\"web_extensions\": [\".html\", \".PHP\", \".user.ini\"], "
    "\"script_extensions\": [\".php\"]}",
    "{\"weights\": {\"new-ip\": 0, \"download-reupload\": 100}, "
    "\"sev_high\": 1}",
    "{\"business_start\": 23, \"business_end\": 1, \"burst_ips\": 2}",
    "{\"fail_mni\": 3}",
    "[1, 2, 3]",
    "{\"reupload_window\": 86400, \"bulk_min_files\": 1, "
    "\"reupload_min_files\": 1, \"reupload_grew_files\": 1}",
    NULL,
};
