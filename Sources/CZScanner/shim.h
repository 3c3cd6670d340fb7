#ifndef FEDPLAN_CZSCANNER_SHIM_H
#define FEDPLAN_CZSCANNER_SHIM_H
/* Knot DNS's zone scanner (libzscanner, Debian libknot-dev). The scanner keeps its output in
 * fixed arrays of up to 64 KiB; Swift imports those as tuples and would copy them on every
 * read, so these accessors hand out pointers instead. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libzscanner/scanner.h>

static inline const uint8_t *fp_zs_owner(const zs_scanner_t *s) { return s->r_owner; }
static inline const uint8_t *fp_zs_rdata(const zs_scanner_t *s) { return s->r_data; }
static inline const char *fp_zs_include_file(const zs_scanner_t *s) { return s->include_filename; }
/* After ZS_STATE_INCLUDE: the origin for the included file, in text form. */
static inline const char *fp_zs_include_origin(const zs_scanner_t *s) { return (const char *)s->buffer; }
static inline const uint8_t *fp_zs_origin(const zs_scanner_t *s) { return s->zone_origin; }
/* Offset of the scanner in its input: where the next record starts to be looked for. */
static inline size_t fp_zs_offset(const zs_scanner_t *s) { return (size_t)(s->input.current - s->input.start); }
/* Relative $INCLUDE names are resolved against `path`; for string input we set it ourselves. */
static inline int fp_zs_set_path(zs_scanner_t *s, const char *dir) {
	char *copy = strdup(dir);
	if (copy == NULL) return -1;
	free(s->path);
	s->path = copy;
	return 0;
}
/* A spinning thread's pause (x86's PAUSE): it tells the core a wait loop is running, so the loop
 * costs less power and leaves the sibling hardware thread its share. */
static inline void fp_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}
/* Offsets count from `start` (`fp_zs_offset`): a scanner given part of a text counts them from
 * the whole text's start. The scanner itself reads only `current` and `end` of a string input. */
static inline void fp_zs_count_from(zs_scanner_t *s, const char *start) { s->input.start = start; }
/* Restarts a scanner in the middle of a file, at the start of a step the first pass saw: the
 * $ORIGIN (wire form) and line counter there, and the owner of the record before it (a record
 * with a blank owner inherits it). The default TTL is given to zs_init, and the class is fixed;
 * nothing else carries over from one record to the next (after a record, without $INCLUDE or an
 * error, the other fields are rewritten by the next record before they are read). */
static inline void fp_zs_restart(zs_scanner_t *s, const uint8_t *origin, uint32_t origin_length,
                                 const uint8_t *owner, uint32_t owner_length, uint64_t line) {
	if (origin_length > sizeof(s->zone_origin)) origin_length = 0;
	if (owner_length > sizeof(s->r_owner)) owner_length = 0;
	memcpy(s->zone_origin, origin, origin_length);
	s->zone_origin_length = origin_length;
	memcpy(s->r_owner, owner, owner_length);
	s->r_owner_length = owner_length;
	s->line_counter = line;
}
#endif
