/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the profile parser (profile.c, profile_appliance.c,
 * profile_iface.c): the parse context, and the keys of each section as a
 * table {name, parse, print}, iproute2 style, from which the parser
 * dispatches, the printer writes the canonical form and the "known: ..."
 * hint of an unknown key is made.
 */
#ifndef UMNET_PROFILE_INT_H
#define UMNET_PROFILE_INT_H

#include "profile.h"

/* a message quotes at most this much of a value (str_escape) */
#define PROFILE_ESC_MAX 200

enum section { SEC_NONE, SEC_APPLIANCE, SEC_INTERFACE, SEC_FIREWALL };

struct parse_ctx {
	struct profile *p;
	struct err *e;
	const char *file;
	int line;
	enum section sec;
	struct iface *ifc;
	int name_line, ruleset_line, disk_line;
	char esc[2][PROFILE_ESC_MAX];
	int nesc;
};

/* "file:line: message" in c->e, returns -EINVAL */
__attribute__((format(printf, 2, 3))) int perr(struct parse_ctx *c,
					       const char *fmt, ...);
/* v escaped for a message, in one of two buffers of c */
const char *esc(struct parse_ctx *c, const char *v);
/* v, relative to the profile's directory unless absolute, into out */
int resolve_path(struct parse_ctx *c, const char *v, char *out, size_t len);
/* one more address with prefix length (address, loopback, ...) */
int add_prefix(struct parse_ctx *c, struct ip_prefix *arr, int *n,
	       const char *k, const char *v);

struct profile_key {
	/* NULL: not a key but a place in the canonical form (see print) */
	const char *name;
	/* "k = v" in the current section */
	int (*parse)(struct parse_ctx *c, const char *k, const char *v);
	/*
	 * The key's lines in the canonical form, in table order; ifc is the
	 * interface for [interface] keys. NULL: printed with another key.
	 */
	void (*print)(const struct profile *p, const struct iface *ifc,
		      struct strbuf *sb);
};

/* each ends with an entry without parse and print */
extern const struct profile_key profile_appliance_keys[];
extern const struct profile_key profile_iface_keys[];
extern const struct profile_key profile_firewall_keys[];

/* an [interface] key no entry names: impairment or transport key */
int profile_iface_other(struct parse_ctx *c, const char *k, const char *v);

/* the entry of key k, or NULL */
const struct profile_key *profile_key_find(const struct profile_key *t,
					   const char *k);
/* "name, hostname, ...": the keys of t, for a "known: ..." hint */
const char *profile_keys_known(const struct profile_key *t, char *buf,
			       size_t len);
/* the canonical lines of every key of t */
void profile_keys_print(const struct profile_key *t, const struct profile *p,
			const struct iface *ifc, struct strbuf *sb);

#endif
