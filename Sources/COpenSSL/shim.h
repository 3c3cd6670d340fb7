/* OpenSSL for `fedplan cert check`: the headers, and small functions for what OpenSSL offers
 * only as macros (which Swift cannot call) or what is simplest done in C, in one place. */
#ifndef FEDPLAN_OPENSSL_SHIM_H
#define FEDPLAN_OPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* SNI: the name the client asks for (SSL_set_tlsext_host_name is a macro). */
static inline long fedplan_ssl_set_server_name(SSL *ssl, const char *name) {
	return SSL_set_tlsext_host_name(ssl, name);
}

static inline int fedplan_chain_count(STACK_OF(X509) *chain) { return chain ? sk_X509_num(chain) : 0; }
static inline X509 *fedplan_chain_at(STACK_OF(X509) *chain, int i) { return sk_X509_value(chain, i); }

/* Appends `bytes` to `out` with every byte outside printable ASCII (and the backslash) written
 * as \DDD, RFC 1035 style: a SAN with a NUL or an escape sequence in it cannot hide or lie. */
static inline void fedplan_append_escaped(char *out, size_t *used, const unsigned char *bytes, int length) {
	for (int i = 0; i < length; i++) {
		unsigned char c = bytes[i];
		if (c < 0x21 || c > 0x7e || c == '\\') *used += (size_t)sprintf(out + *used, "\\%03u", c);
		else out[(*used)++] = (char)c;
	}
	out[*used] = 0;
}

/* The certificate's DNS names (subjectAltName dNSName), one per line, escaped; free() it.
 * NULL when the certificate has no SAN extension. */
static inline char *fedplan_dns_names(X509 *cert) {
	GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	if (!names) return NULL;
	size_t capacity = 1, used = 0;
	for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
		GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
		if (name->type == GEN_DNS) capacity += (size_t)ASN1_STRING_length(name->d.dNSName) * 4 + 1;
	}
	char *out = malloc(capacity);
	out[0] = 0;
	for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
		GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
		if (name->type != GEN_DNS) continue;
		if (used > 0) out[used++] = '\n';
		fedplan_append_escaped(out, &used, ASN1_STRING_get0_data(name->d.dNSName), ASN1_STRING_length(name->d.dNSName));
	}
	GENERAL_NAMES_free(names);
	return out;
}

/* A name (subject or issuer) in RFC 2253 form; free() it. */
static inline char *fedplan_name_text(X509_NAME *name) {
	BIO *bio = BIO_new(BIO_s_mem());
	X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
	char *data = NULL;
	long length = BIO_get_mem_data(bio, &data);
	char *out = malloc((size_t)length * 4 + 1);
	size_t used = 0;
	out[0] = 0;
	/* RFC 2253 text may carry any byte of the name: escape it like the DNS names. */
	fedplan_append_escaped(out, &used, (const unsigned char *)data, (int)length);
	BIO_free(bio);
	return out;
}

/* Seconds since 1970 of an ASN1_TIME (notBefore, notAfter); 0 when it cannot be read. */
static inline long long fedplan_time(const ASN1_TIME *time) {
	struct tm tm;
	if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return 0;
	return (long long)timegm(&tm);
}

/* 1 when the certificate has an EKU extension, and which of server / client auth it allows. */
static inline int fedplan_has_eku(X509 *cert) { return (X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) != 0; }
static inline int fedplan_eku_server(X509 *cert) { return (X509_get_extended_key_usage(cert) & XKU_SSL_SERVER) != 0; }
static inline int fedplan_eku_client(X509 *cert) { return (X509_get_extended_key_usage(cert) & XKU_SSL_CLIENT) != 0; }
/* Issued by itself and signed by its own key. */
static inline int fedplan_self_signed(X509 *cert) { return (X509_get_extension_flags(cert) & EXFLAG_SS) != 0; }

/* DANE (`cert plan --tlsa`, `cert check`): what ldns's DANE functions take. */

/* Never asks for a pass phrase: an encrypted key is refused, not prompted for. */
static inline int fedplan_no_passphrase(char *buf, int size, int rwflag, void *u) {
	(void)buf; (void)size; (void)rwflag; (void)u;
	return -1;
}

/* The first certificate (*kind 1), public key (2) or unencrypted private key (3) in PEM text, as
 * an X509 that carries its public key (a new, otherwise empty one for a key): what
 * ldns_dane_create_tlsa_rr reads for selector 1 (SubjectPublicKeyInfo). NULL when the text
 * holds none of them. X509_free() it. */
static inline X509 *fedplan_pem_key_holder(const char *bytes, int length, int *kind) {
	*kind = 0;
	BIO *bio = BIO_new_mem_buf(bytes, length);
	if (!bio) return NULL;
	X509 *cert = PEM_read_bio_X509(bio, NULL, fedplan_no_passphrase, NULL);
	BIO_free(bio);
	if (cert) { *kind = 1; ERR_clear_error(); return cert; }
	EVP_PKEY *key = NULL;
	bio = BIO_new_mem_buf(bytes, length);
	if (bio) { key = PEM_read_bio_PUBKEY(bio, NULL, fedplan_no_passphrase, NULL); BIO_free(bio); }
	if (key) *kind = 2;
	else {
		bio = BIO_new_mem_buf(bytes, length);
		if (bio) { key = PEM_read_bio_PrivateKey(bio, NULL, fedplan_no_passphrase, NULL); BIO_free(bio); }
		if (key) *kind = 3;
	}
	ERR_clear_error();
	if (!key) return NULL;
	X509 *holder = X509_new();
	if (!holder || X509_set_pubkey(holder, key) != 1) {
		if (holder) X509_free(holder);
		EVP_PKEY_free(key);
		*kind = 0;
		return NULL;
	}
	EVP_PKEY_free(key);
	return holder;
}

/* A certificate from its DER bytes; NULL when they are not one. X509_free() it. */
static inline X509 *fedplan_x509_from_der(const unsigned char *bytes, long length) {
	const unsigned char *p = bytes;
	X509 *cert = d2i_X509(NULL, &p, length);
	ERR_clear_error();
	return cert;
}

/* STACK_OF(X509), whose functions are macros. */
static inline STACK_OF(X509) *fedplan_stack_new(void) { return sk_X509_new_null(); }
static inline int fedplan_stack_push(STACK_OF(X509) *stack, X509 *cert) { return sk_X509_push(stack, cert); }
static inline void fedplan_stack_free(STACK_OF(X509) *stack) { sk_X509_pop_free(stack, X509_free); }

#endif
