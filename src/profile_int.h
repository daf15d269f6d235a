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

#include <stddef.h>

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
	const struct profile_key *key; /* the entry being parsed */
};

/* "file:line: message" in c->e, returns -EINVAL */
__attribute__((format(printf, 2, 3))) int perr(struct parse_ctx *c,
					       const char *fmt, ...);
/* v escaped for a message, in one of two buffers of c */
const char *esc(struct parse_ctx *c, const char *v);
/* v, relative to the profile's directory unless absolute, into out */
int resolve_path(struct parse_ctx *c, const char *v, char *out, size_t len);
/* where c->key keeps its value: in the profile or the interface */
void *key_field(struct parse_ctx *c);
int *key_count(struct parse_ctx *c);
/* one more address with prefix length (KEY_PREFIXES: address, ...) */
int parse_prefix(struct parse_ctx *c, const char *k, const char *v);
/* a namespace name (netns, host-netns) */
int parse_netns_name(struct parse_ctx *c, const char *k, const char *v);

/* how a key is printed in the canonical form */
enum key_form {
	KEY_FN, /* by print (NULL: with another key, or not at all) */
	KEY_STR, /* "name = value" of the string at off, unless empty */
	KEY_LIST, /* a line per struct text_item at off, int count at noff */
	KEY_PREFIXES, /* a line per struct ip_prefix at off, count at noff */
};

struct profile_key {
	/* NULL: not a key but a place in the canonical form (see print) */
	const char *name;
	/* "k = v" in the current section (c->key is this entry) */
	int (*parse)(struct parse_ctx *c, const char *k, const char *v);
	/*
	 * The key's lines in the canonical form, in table order; ifc is the
	 * interface for [interface] keys.
	 */
	void (*print)(const struct profile *p, const struct iface *ifc,
		      struct strbuf *sb);
	enum key_form form;
	/* all but KEY_FN: in struct profile ([interface]: struct iface) */
	size_t off, noff;
};

/* the last three members of an entry: print, form, off, noff */
#define KEY_BY(print) print, KEY_FN, 0, 0
#define KEY_STR_AT(type, f) NULL, KEY_STR, offsetof(type, f), 0
#define KEY_LIST_AT(f, nf)                           \
	NULL, KEY_LIST, offsetof(struct profile, f), \
		offsetof(struct profile, nf)
#define KEY_PREFIXES_AT(type, f, nf) \
	NULL, KEY_PREFIXES, offsetof(type, f), offsetof(type, nf)

/* each ends with an entry without name and print */
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
