/*
 * The state file kept between runs (--state FILE): every account's
 * baseline, open sessions, per-address counters, findings (with whether
 * they were reported), and how far each input file was read, identified by
 * a fingerprint of its first bytes so rotation (renames, gzip) does not
 * make a file look new.
 *
 * Format: a header (magic, byte-order mark, version, payload length,
 * CRC-32 of the payload) and a binary payload in this machine's byte
 * order.  Written atomically: a temporary file in the same folder, fsync,
 * rename, fsync of the folder.  A damaged file, one of another byte order
 * or a newer version is an error, never a silent reset.
 */
#ifndef FA_ANALYSIS_STATE_H
#define FA_ANALYSIS_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect.h"

/* 2: keys hashed with fa_hash.  1: the same layout with fa_hash_v1's
 * keys; still read, and written back as version 1. */
#define FA_STATE_VERSION 2

/* How far one input file was read. */
struct fa_state_file {
    uint64_t fp;          /* fingerprint of the first fp_len bytes */
    uint32_t fp_len;
    uint64_t emitted;     /* offset up to which its events are counted */
    bool complete;        /* it was read to its end */
    int64_t last_used;    /* epoch seconds of the run that last saw it */
};

struct fa_state_files {
    struct fa_state_file *v;
    size_t n, cap;
};

/* Take the lock beside the state file (FILE.lock) without waiting.
 * Returns a descriptor to keep open for the run, or -1 with err set:
 * another run holds it (its pid is named) or the folder is not writable. */
int fa_state_lock(const char *path, char *err, size_t size);

/*
 * Load FILE into d (freshly created, nothing fed yet) and files.
 * Returns 1 when loaded, 0 when FILE does not exist (a first run), -1 on
 * any other failure with err set; nothing is changed on disk.
 */
int fa_state_load(const char *path, struct fa_detect *d,
                  struct fa_state_files *files, bool *in_progress,
                  char *err, size_t size);

/* The payload of a state file (what follows its header, the checksum
 * already checked) into d and files, as fa_state_load reads it; false
 * when its contents do not add up.  For fa_state_load and the fuzz
 * target, which must reach past the checksum. */
bool fa_state_read_payload(const char *buf, size_t len, struct fa_detect *d,
                           struct fa_state_files *files);

/* Write d and files to FILE atomically.  in_progress marks a checkpoint
 * taken in the middle of a run.  Returns 0, or -1 with err set (the old
 * file is then untouched). */
int fa_state_save(const char *path, const struct fa_detect *d,
                  const struct fa_state_files *files, bool in_progress,
                  char *err, size_t size);

/* Find a file entry by fingerprint and length; NULL when unknown. */
struct fa_state_file *fa_state_find(struct fa_state_files *files,
                                    uint64_t fp, uint32_t fp_len);

/* Record (add or update) an entry. */
void fa_state_put(struct fa_state_files *files,
                  const struct fa_state_file *e);

void fa_state_files_free(struct fa_state_files *files);

#endif
