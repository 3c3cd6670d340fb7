#ifndef FEDPLAN_CLDNS_SHIM_H
#define FEDPLAN_CLDNS_SHIM_H
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <ldns/ldns.h>

/* The header fields of a wire packet, read by ldns's own macros (ldns/wire2host.h): Swift
   does not import function-like macros, so each is wrapped once here. A reply is read
   section by section with these and ldns_wire2rr, as ldns_wire2pkt does inside. */
static inline uint16_t fedplan_wire_id(const uint8_t *wire) { return LDNS_ID_WIRE(wire); }
static inline int fedplan_wire_qr(const uint8_t *wire) { return LDNS_QR_WIRE(wire) != 0; }
static inline int fedplan_wire_aa(const uint8_t *wire) { return LDNS_AA_WIRE(wire) != 0; }
static inline int fedplan_wire_tc(const uint8_t *wire) { return LDNS_TC_WIRE(wire) != 0; }
static inline uint8_t fedplan_wire_rcode(const uint8_t *wire) { return LDNS_RCODE_WIRE(wire); }
static inline uint16_t fedplan_wire_qdcount(const uint8_t *wire) { return LDNS_QDCOUNT(wire); }
static inline uint16_t fedplan_wire_ancount(const uint8_t *wire) { return LDNS_ANCOUNT(wire); }
static inline uint16_t fedplan_wire_nscount(const uint8_t *wire) { return LDNS_NSCOUNT(wire); }
/* The other flags and count, for `dns check --debug` (a reply's header as kdig shows it). */
static inline int fedplan_wire_rd(const uint8_t *wire) { return LDNS_RD_WIRE(wire) != 0; }
static inline int fedplan_wire_ra(const uint8_t *wire) { return LDNS_RA_WIRE(wire) != 0; }
static inline int fedplan_wire_ad(const uint8_t *wire) { return LDNS_AD_WIRE(wire) != 0; }
static inline int fedplan_wire_cd(const uint8_t *wire) { return LDNS_CD_WIRE(wire) != 0; }
static inline uint16_t fedplan_wire_arcount(const uint8_t *wire) { return LDNS_ARCOUNT(wire); }

/* Many datagrams per system call (sendmmsg(2), recvmmsg(2)): the query engine sends the
   queries of one scheduling pass and reads the replies waiting on a socket in one call each,
   instead of one sendto and one recvfrom per query (at 100,000 queries a second the entry into
   the kernel was a tenth of its time there). Swift's Glibc module is built without
   _GNU_SOURCE, so struct mmsghdr and the wrappers are not visible: the struct is declared here
   with the kernel's layout (a msghdr, then the length the kernel writes) and the calls go
   through syscall(2). Both return the number of messages done, or -1 with errno set. */
struct fedplan_mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
};
static inline int fedplan_sendmmsg(int fd, struct fedplan_mmsghdr *messages, unsigned int count, int flags) {
    return (int)syscall(SYS_sendmmsg, fd, messages, count, flags);
}
static inline int fedplan_recvmmsg(int fd, struct fedplan_mmsghdr *messages, unsigned int count, int flags) {
    return (int)syscall(SYS_recvmmsg, fd, messages, count, flags, (void *)0);
}
#endif
