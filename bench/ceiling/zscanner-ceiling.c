/* The zone-file ceiling: Knot's zone scanner alone over a zone, record by record, as fedplan
 * drives it (zs_parse_record on a mapped file), doing nothing with the records. Printed by
 * bench/zone-check.sh beside fedplan and the reference checkers.
 * Build: cc -O2 zscanner-ceiling.c -o zscanner-ceiling $(pkg-config --cflags --libs libzscanner)
 * Usage: zscanner-ceiling ORIGIN FILE */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <libzscanner/scanner.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s ORIGIN FILE\n", argv[0]);
		return 2;
	}
	int fd = open(argv[2], O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(argv[2]);
		return 2;
	}
	const char *text = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	zs_scanner_t *s = malloc(sizeof(*s));
	if (text == MAP_FAILED || s == NULL || zs_init(s, argv[1], 1, 3600) != 0 ||
	    zs_set_input_string(s, text, st.st_size) != 0) {
		fprintf(stderr, "cannot start the scanner\n");
		return 2;
	}
	unsigned long records = 0;
	while (zs_parse_record(s) == 0 && s->state == ZS_STATE_DATA) {
		records++;
	}
	printf("%lu records, scanner state %d\n", records, s->state);
	zs_deinit(s);
	free(s);
	return 0;
}
