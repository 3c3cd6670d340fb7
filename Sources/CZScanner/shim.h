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
#endif
