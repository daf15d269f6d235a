/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the lab code (lab.c, lab_parse.c, lab_check.c, lab_compile.c,
 * labtest.c, labtest_parse.c; kathara*.c for lab_grow): the parse context
 * the parser, its checks and the compiler share, and the table of [test]
 * kinds. Not for the rest of umnet: lab.h is the API.
 */
#ifndef UMNET_LAB_PRIV_H
#define UMNET_LAB_PRIV_H

#include <stddef.h>

#include "lab.h"

enum lab_section { LS_NONE, LS_LAB, LS_NODE, LS_LINK, LS_TEST, LS_HOST };

struct lab_ctx {
	struct lab *lab;
	struct err *e;
	const char *file;
	int line;
	enum lab_section sec;
	struct lab_node *node;
	struct lab_link *link;
	struct lab_host *host;
};

/* e = "file:line: ..." (file: the one being read); returns -EINVAL */
__attribute__((format(printf, 3, 4))) int lab_err(struct lab_ctx *c, int line,
						  const char *fmt, ...);

/* keys of [link] sections, by kind (lab_check.c) */
struct lab_link_key {
	const char *key;
	unsigned int kinds; /* bit per enum link_kind */
};
extern const struct lab_link_key lab_link_keys[];
extern const int lab_nlink_keys;

/*
 * Room for one more element in the array *arrp (n used, *cap allocated,
 * each size bytes; the new room is zeroed): 0, or -ENOMEM with e filled.
 * Arrays double, so a lab of any size costs what it holds.
 */
int lab_grow(void *arrp, int n, int *cap, size_t size, struct err *e);

/* the line of key in kvs, else dflt */
int lab_kv_line(const struct lab_kv *kvs, int n, const char *key, int dflt);

/* after the whole file was read: links resolved and checked (lab_check.c) */
int lab_check(struct lab_ctx *c);

/* labs across hosts (lab_hosts.c): [host NAME], its keys, host = NAME */
int lab_host_section(struct lab_ctx *c, const char *name);
int lab_host_kv(struct lab_ctx *c, const char *k, const char *v);
int lab_node_host_kv(struct lab_ctx *c, const char *v);
/*
 * once the links are resolved: every node on a host, wires across hosts
 * marked (cross) with their transport, port and MTU, what cannot span
 * hosts refused
 */
int lab_hosts_check(struct lab_ctx *c);

/*
 * A [test] kind, iproute2 link_util style: its grammar (parse, in
 * labtest_parse.c) and how it runs (run, in labtest.c), in one table
 * (lab_test_types, labtest.c) that the "known: ..." hint also lists.
 */
struct lab_test_type {
	const char *name;
	int kind; /* enum lab_test_kind; -1: wait-for, which wraps another */
	/* args as written into t, t->kind set; 0 or -errno with c->e */
	int (*parse)(struct lab_ctx *c, const struct lab_test_type *ty,
		     const char *args, struct lab_test *t);
	/* once: 1 passed, 0 not (seen: what was seen); -errno: cannot run */
	int (*run)(const struct lab *lab, const struct lab_test *t, char *seen,
		   size_t len);
};
extern const struct lab_test_type lab_test_types[];
extern const int lab_ntest_types;
const struct lab_test_type *lab_test_type_find(const char *name);

/* the parse functions of the table */
int labtest_parse_reach(struct lab_ctx *c, const struct lab_test_type *ty,
			const char *args, struct lab_test *t);
int labtest_parse_tcp(struct lab_ctx *c, const struct lab_test_type *ty,
		      const char *args, struct lab_test *t);
int labtest_parse_route(struct lab_ctx *c, const struct lab_test_type *ty,
			const char *args, struct lab_test *t);
int labtest_parse_exec(struct lab_ctx *c, const struct lab_test_type *ty,
		       const char *args, struct lab_test *t);
int labtest_parse_measure(struct lab_ctx *c, const struct lab_test_type *ty,
			  const char *args, struct lab_test *t);
int labtest_parse_wait_for(struct lab_ctx *c, const struct lab_test_type *ty,
			   const char *args, struct lab_test *t);
int labtest_parse_link(struct lab_ctx *c, const struct lab_test_type *ty,
		       const char *args, struct lab_test *t);
int labtest_parse_link_impair(struct lab_ctx *c, const struct lab_test_type *ty,
			      const char *args, struct lab_test *t);

/* one line of [test]: "KIND = ARGS" into t (labtest_parse.c) */
int lab_test_parse(struct lab_ctx *c, const char *kind, const char *args,
		   struct lab_test *t);
/* bridged, port and bridged-subnet, once the name is known (lab_bridged.c) */
int lab_check_bridged(struct lab_ctx *c);
/* the [lab] key bridged-subnet = PREFIX (lab_bridged.c) */
int lab_set_bridged_subnet(struct lab_ctx *c, const char *v);

/* the tests' node and link names, once the whole file was read */
int lab_tests_check(struct lab_ctx *c);

#endif
