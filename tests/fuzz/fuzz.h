/* SPDX-License-Identifier: GPL-2.0 */
/* Checks shared by the fuzz harnesses. */
#ifndef UMNET_FUZZ_H
#define UMNET_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drive.h"
#include "nodeconf_apply.h"
#include "profile.h"

/*
 * Every line of the node.conf made from p must pass the node's own parser:
 * what the host accepts, the node must accept too.
 */
static void check_nodeconf(const struct profile *p)
{
	struct strbuf nc = { 0 };
	char *line, *save = NULL, msg[256];

	if (drive_nodeconf(p, &nc, NULL, 0))
		goto out;
	for (line = strtok_r(nc.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		msg[0] = '\0';
		if (nodeconf_check_line(line, msg, sizeof(msg))) {
			fprintf(stderr, "node.conf line refused: %s: %s\n", msg,
				line);
			abort();
		}
	}
out:
	sb_free(&nc);
}

#endif
