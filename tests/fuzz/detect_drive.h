/*
 * What the state and config fuzz targets do with a detector they got from
 * fuzzed bytes: feed it a day with a Gumblar session, password guessing
 * and an owner's upload (stamps near its own clock and far from it), end
 * it, read every finding back from the spool and write the whole report,
 * which must be valid JSON and valid UTF-8.
 */
#ifndef FA_TESTS_FUZZ_DETECT_DRIVE_H
#define FA_TESTS_FUZZ_DETECT_DRIVE_H

#include "../../analysis/detect.h"

void fuzz_drive_detector(struct fa_detect *d, int64_t clock_us);

#endif
