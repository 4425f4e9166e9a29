/*
 * A progress line on stderr while the inputs are read: files done of all,
 * how far through the data on disk, bytes and lines per second, and an
 * estimated time left.  For a person at a terminal only: it draws nothing
 * when stderr is not a terminal, and it uses no escape sequences (a
 * carriage return and spaces), so a dumb terminal shows it right too.
 *
 * The total is the size of each file on disk, taken with stat() when
 * progress starts; for a gzip file that is the compressed size, and how
 * far a partly read gzip file is comes from its trailer's length field
 * (exact for one member under 4 GiB, an estimate otherwise), so the time
 * left is marked "~".  Standard input has no size: with it the line shows
 * no percentage and no time left.
 *
 * Usage, around the event loop:
 *
 *     struct fa_progress *meter = fa_progress_start(in, !quiet);
 *     while (fa_input_next(in, &ev) > 0) {
 *         fa_progress_tick(meter);
 *         ...
 *     }
 *     fa_progress_end(meter);
 *
 * It reads the input's per-file statistics (and leaves the input's
 * callbacks free for others), so fa_progress_tick() must run in the
 * thread that runs the input: with a reading thread, call
 * fa_progress_ticks() there once per batch, and fa_progress_end() after
 * that thread was joined.
 */
#ifndef FA_CMD_PROGRESS_H
#define FA_CMD_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "../parsers/input.h"

/* Events between two looks at the clock. */
#define FA_PROGRESS_EVERY 1024
/* Least time between two redraws, and before the first one (so a short
 * run shows nothing), in milliseconds. */
#define FA_PROGRESS_REDRAW_MS 250
#define FA_PROGRESS_DELAY_MS 500

struct fa_progress;

/* Start watching in (after every path was added to it).  Returns NULL
 * when enabled is false or stderr is not a terminal; the functions below
 * accept NULL and then do nothing.  in must outlive the progress. */
struct fa_progress *fa_progress_start(struct fa_input *in, bool enabled);

/* Call once per event, in the thread that runs the input.  Cheap: a
 * counter, and every FA_PROGRESS_EVERY events a look at the monotonic
 * clock; redraws at most every FA_PROGRESS_REDRAW_MS. */
void fa_progress_tick(struct fa_progress *p);

/* The same for n events at once (a batch). */
void fa_progress_ticks(struct fa_progress *p, size_t n);

/* Erase the progress line (if one was drawn) and free p. */
void fa_progress_end(struct fa_progress *p);

#endif
