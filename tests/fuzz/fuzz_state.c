/*
 * Fuzz target: the state file reader, past its checksum.
 *
 * The input is a state file's payload (what follows the header, whose
 * CRC-32 would turn away every mutation).  fa_state_read_payload either
 * refuses it or fills a fresh detector; a detector it filled must then
 * run as one loaded from a good file: events, the end of the run, every
 * finding read back from the spool, and a report that is valid JSON and
 * UTF-8 (detect_drive.c).  Seeds: payloads of real runs, seeds-state/.
 */
#include <stdlib.h>
#include <string.h>

#include "../../analysis/config.h"
#include "../../analysis/state.h"
#include "detect_drive.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Exactly size bytes, so a read past the end is a report. */
    char *buf = malloc(size ? size : 1);
    if (buf == NULL) {
        abort();
    }
    if (size > 0) {
        memcpy(buf, data, size);
    }
    struct fa_config cfg;
    fa_config_defaults(&cfg);
    struct fa_detect *d = fa_detect_create(&cfg, NULL);
    struct fa_state_files files = {0};
    if (fa_state_read_payload(buf, size, d, &files)) {
        int64_t clock = 0;
        if (size >= 8) {
            memcpy(&clock, buf, 8);   /* the payload starts with the clock */
        }
        fuzz_drive_detector(d, clock);
    }
    fa_state_files_free(&files);
    fa_detect_destroy(d);
    free(buf);
    return 0;
}

/* A whole state file (a seed written by ftpaudit) gives its payload. */
void fuzz_expand_fixture(const char *path, const uint8_t *data, size_t size,
                         fuzz_run_fn run)
{
    (void)path;
    static const char magic[] = "FTPAUDIT-STATE\n";
    const size_t header = 40;
    if (size >= header && memcmp(data, magic, sizeof(magic)) == 0) {
        run(data + header, size - header);
    } else {
        run(data, size);
    }
}

const char *const fuzz_builtin_seeds[] = {
    "",
    "\x01\x02\x03\x04\x05\x06\x07\x08",
    NULL,
};
