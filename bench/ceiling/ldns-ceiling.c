/*
 * The ceiling of one thread that does what fedplan's query engine must do with ldns, and
 * nothing else: build each query with ldns, send it over UDP, read the reply, parse it with
 * ldns_wire2pkt and turn the answer's records into text (ldns_rdf2str), with IN_FLIGHT
 * queries outstanding. No checking, no retries, no Swift. bench/ldns-ceiling.sh compares it
 * with dnsperf against the same NSD and names.
 *
 * usage: ldns-ceiling PORT QUERIES_FILE   (lines "name type", as dnsperf reads them)
 */
#include <ldns/ldns.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#define IN_FLIGHT 100

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
	if (argc != 3) { fprintf(stderr, "usage: ldns-ceiling PORT QUERIES_FILE\n"); return 2; }
	FILE *f = fopen(argv[2], "r");
	if (!f) { perror(argv[2]); return 2; }
	size_t count = 0, capacity = 1024;
	char (*names)[256] = malloc(capacity * 256);
	char (*types)[16] = malloc(capacity * 16);
	while (fscanf(f, "%255s %15s", names[count], types[count]) == 2) {
		if (++count == capacity) {
			capacity *= 2;
			names = realloc(names, capacity * 256);
			types = realloc(types, capacity * 16);
		}
	}
	fclose(f);

	struct sockaddr_in server = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])) };
	inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int size = 8 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);

	size_t sent = 0, answered = 0, records = 0;
	double start = now();
	while (answered < count) {
		while (sent < count && sent - answered < IN_FLIGHT) {
			ldns_pkt *query = NULL;
			ldns_pkt_query_new_frm_str(&query, names[sent], ldns_get_rr_type_by_name(types[sent]),
			                           LDNS_RR_CLASS_IN, LDNS_RD);
			ldns_pkt_set_id(query, (uint16_t)sent);
			ldns_pkt_set_edns_udp_size(query, 1232);
			uint8_t *wire = NULL;
			size_t length = 0;
			ldns_pkt2wire(&wire, query, &length);
			sendto(fd, wire, length, 0, (struct sockaddr *)&server, sizeof server);
			free(wire);
			ldns_pkt_free(query);
			sent++;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 2000) <= 0) { fprintf(stderr, "timeout after %zu answers\n", answered); break; }
		uint8_t buffer[65536];
		ssize_t n;
		while ((n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT)) > 0) {
			ldns_pkt *reply = NULL;
			if (ldns_wire2pkt(&reply, buffer, (size_t)n) == LDNS_STATUS_OK) {
				ldns_rr_list *answer = ldns_pkt_answer(reply);
				for (size_t i = 0; i < ldns_rr_list_rr_count(answer); i++) {
					ldns_rr *rr = ldns_rr_list_rr(answer, i);
					free(ldns_rdf2str(ldns_rr_owner(rr)));
					for (size_t j = 0; j < ldns_rr_rd_count(rr); j++) free(ldns_rdf2str(ldns_rr_rdf(rr, j)));
					records++;
				}
				ldns_pkt_free(reply);
			}
			answered++;
		}
	}
	double elapsed = now() - start;
	printf("%zu queries, %zu answers, %zu records in %.3f s: %.0f queries/s\n", count, answered, records,
	       elapsed, answered / elapsed);
	return 0;
}
