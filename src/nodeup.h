/* SPDX-License-Identifier: GPL-2.0 */
/* Bring one node up from its profile (`umnet up`, and each node of a lab). */
#ifndef UMNET_NODEUP_H
#define UMNET_NODEUP_H

#include <sys/types.h>

#include "model.h"
#include "util.h"

struct up_result {
	pid_t pid;
	long long total_ms; /* from the call to ready */
	long long boot_ms; /* from starting UML to ready */
	struct strbuf console; /* on a failed boot: the console's last lines */
};

/*
 * Create the node's host side and state, boot it and wait up to timeout_s
 * for its init to report ready. On failure everything made is removed again
 * and e says what went wrong (res->console holds the console's last lines
 * when the node itself failed). Never prints.
 */
int node_up(struct profile *p, int timeout_s, struct up_result *res,
	    struct err *e);

/* tear a node down completely: UML, host objects, state dir */
struct node_paths;
int node_teardown(const struct node_paths *np, struct err *e);
/* the same under the node's lock (name_lock): for down, lab down, restart */
int node_down(const struct node_paths *np, struct err *e);

#endif
