#ifndef FEDPLAN_CLDNS_SHIM_H
#define FEDPLAN_CLDNS_SHIM_H
#include <stdio.h>
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
static inline uint16_t fedplan_wire_arcount(const uint8_t *wire) { return LDNS_ARCOUNT(wire); }
#endif
