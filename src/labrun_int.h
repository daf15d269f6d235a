/* SPDX-License-Identifier: GPL-2.0 */
/* What the lab's files (labrun*.c, wires.c) share, beyond labrun.h. */
#ifndef UMNET_LABRUN_INT_H
#define UMNET_LABRUN_INT_H

#include <sys/types.h>

#include "labrun.h"

struct jail;

/*
 * fork a lab process that is recorded in the procs file before it does
 * anything. Returns the pid in the parent (-errno, e set) and 0 in the
 * child.
 */
pid_t spawn_recorded(const struct lab_paths *lp, const char *what,
		     struct err *e);
/* the lab's own processes: its ids, no capability, no mounts */
int lab_jail(const char *lab, struct jail *j);
/* stdin on /dev/null, stdout and stderr on log (NULL: /dev/null) */
void detach_stdio(const char *log);

#endif
