/* SPDX-License-Identifier: GPL-2.0 */
/* What the lab's files (labrun*.c, wires.c) share, beyond labrun.h. */
#ifndef UMNET_LABRUN_INT_H
#define UMNET_LABRUN_INT_H

#include <stdbool.h>
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

/* labrun_infra.c */
/* the interfaces and namespaces the nodes of only (NULL: all) would make */
int check_clashes(const struct lab *lab, const bool *only, struct err *e);
/* the lab's namespaces, journaled in lp->journal */
int make_netns(const struct lab *lab, const struct lab_paths *lp,
	       struct err *e);
/* one `umnet switch` per segment, recorded in the procs file */
/* capture = yes on netns links: `umnet record --follow` per link */
int start_recorder(const struct lab_paths *lp, const struct lab_link *l,
		   struct err *e);
int start_recorders(const struct lab *lab, const struct lab_paths *lp,
		    struct err *e);
/*
 * a segment across hosts: the switch's --l2tp and --l2tp-peer options
 * (labrun_hosts.c); none for one on one host. Freed with ..._free.
 */
int lab_switch_l2tp_args(const struct lab *lab, const struct lab_link *l,
			 char ***argv, int *n);
void lab_switch_l2tp_free(char **argv, int n);
int start_switches(const struct lab *lab, const struct lab_paths *lp,
		   struct err *e);
int start_switch(const struct lab *lab, const struct lab_paths *lp,
		 const struct lab_link *l, struct err *e);
/* the lab's own things: processes, wire records, namespaces, state dir */
int infra_down(const char *name, struct err *e);

/* labrun_jobs.c */
/*
 * Boot the nodes with which[node] set (NULL: all), at most jobs at a
 * time, nodes with host-side links first when some node runs inside a
 * namespace; ok[node] says which came up. 0, or -EIO when any failed.
 */
int boot_waves(struct lab *lab, const bool *which, int jobs, int timeout_s,
	       lab_progress_fn cb, void *arg, bool *ok);

#endif
