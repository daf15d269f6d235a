/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A lab on the host (lab.h is the file): its state directory
 * STATE_ROOT/.labs/NAME holds a copy of the lab file, the journal of the
 * namespaces it made, the processes it started (the wire keeper, one switch
 * per segment), the switches' sockets and the far-end profiles. Its nodes
 * are ordinary nodes named LAB.NODE. Nothing here prints: progress and
 * results go through callbacks.
 */
#ifndef UMNET_LABRUN_H
#define UMNET_LABRUN_H

#include <stdbool.h>
#include <sys/types.h>

#include "lab.h"
#include "nodeup.h"

struct lab_paths {
	char dir[PATH_MAX];
	char copy[PATH_MAX]; /* the lab file as it was brought up */
	char source[PATH_MAX]; /* "PATH\nDIR\n" of the original */
	char journal[PATH_MAX]; /* namespaces (plan journal format) */
	char procs[PATH_MAX]; /* "PID STARTTIME WHAT" per line */
};

int lab_paths(const char *name, struct lab_paths *lp);
bool lab_is_up(const char *name);
/* names of the labs with a state dir; returns the count or -errno */
typedef char lab_name_t[LAB_NAME_MAX + 1];
/* every one of them, sorted, in *names (free it); the count or -errno */
int lab_list(lab_name_t **names);

/*
 * Load a lab: arg is a lab that is up (its name: the copy in its state
 * dir is read) or a lab file. The lab is compiled (lab_compile) with its
 * state dir as gen_dir when compile_gen is set.
 */
int lab_load(const char *arg, struct lab *lab, bool compile_gen, struct err *e);
/* the same, with the options of a Kathará/Netkit lab (NULL: none) */
struct kathara_opts;
int lab_load_opts(const char *arg, const struct kathara_opts *ko,
		  struct lab *lab, bool compile_gen, struct err *e);

/* the most nodes booting at once (jobs); a larger jobs counts as this */
#define LAB_JOBS_MAX 64

/* progress of lab_up / lab_restart, one call per node as it finishes */
typedef void (*lab_progress_fn)(void *arg, const struct lab *lab, int node,
				int ret, const struct up_result *res,
				const struct err *e);

/*
 * Bring the lab up: only the nodes with only[node] set (NULL: all) that
 * are not running. A lab not yet up gets its state dir, namespaces, wire
 * keeper and switches first, after checking that nothing it would create
 * exists already. Nodes boot in parallel, at most jobs at a time. If any
 * node fails, everything this call made is removed again. The caller
 * holds the lab's lock (name_lock("lab", ...)) from before lab_load on:
 * lab_up, lab_restart and lab_repair never run at once on one lab.
 */
int lab_up(struct lab *lab, const bool *only, int jobs, int timeout_s,
	   lab_progress_fn cb, void *arg, struct err *e);

/* what lab_repair did, one call per repair, as a sentence */
typedef void (*lab_event_fn)(void *arg, const char *msg);

/*
 * Bring back what died in a lab that is up (lock held): a dead wire keeper
 * is replaced, with new wires, and every node on a wire boots again; a dead
 * switch is restarted on its socket and the running nodes on it reattach
 * (their vecN goes down and up through the exec agent; a node that cannot
 * within 3 s boots again); a node whose UML process is gone, or whose state
 * is missing, is torn down and booted again. Returns how many things were
 * dead (0: nothing to do) or -errno.
 */
int lab_repair(struct lab *lab, int jobs, int timeout_s, lab_progress_fn cb,
	       lab_event_fn ev, void *arg, struct err *e);

/* stop the given nodes (NULL: all) and start them again (lock held) */
int lab_restart(struct lab *lab, const bool *which, int jobs, int timeout_s,
		lab_progress_fn cb, void *arg, struct err *e);

/*
 * Take lab NAME down: every node LAB.*, its processes, namespaces and state
 * dir, also after kill -9 of any part. Returns 0 or the first error while
 * still removing the rest. Takes the lab's lock itself.
 */
int lab_down(const char *name, struct err *e);

/* cut (down = true) or restore a link: every endpoint drops all frames */
int lab_link_set(const struct lab *lab, int link, bool down, struct err *e);
bool lab_link_is_down(const char *lab_name, const char *link);
/* STATE_ROOT/.labs/LAB/WHAT-LINK: a link's record (a cut, an impairment) */
int lab_link_file(const char *lab_name, const char *what, const char *link,
		  char *out, size_t len);
/*
 * Run a shell command in a lab node; its stdout (up to outlen - 1 bytes)
 * into out. Returns 0 with *status, or -errno (-ETIMEDOUT).
 */
int lab_node_sh(const struct lab *lab, int node, const char *cmd,
		int timeout_ms, int *status, char *out, size_t outlen);

/* a process the lab started, from its procs file */
struct lab_proc {
	pid_t pid;
	unsigned long long start;
	char what[64]; /* "keeper", "switch LINK" */
	bool alive;
};
/* every record, in *procs (free it, NULL when 0); the count or -errno */
int lab_procs(const char *name, struct lab_proc **procs);

/* ---- a lab across hosts (labrun_hosts.c, docs/scale.md) ---------------- */

/*
 * Which host's share this process handles (lab->here): name (--host), else
 * the one recorded when the share came up in this state dir, else the host
 * whose netns this process is in, else whose address is here. need: no
 * answer is an error naming the hosts (else lab->here stays -1: all).
 * Labs without [host] sections: -1, and --host is an error.
 */
int lab_host_pick(struct lab *lab, const char *name, bool need, struct err *e);
/* enter the chosen host's netns = (setns), unless this is it already */
int lab_host_enter(const struct lab *lab, struct err *e);
/* the share recorded in the lab's state dir (lab_up writes it) */
int lab_host_record(const struct lab *lab, struct err *e);
int lab_host_recorded(const char *name, char *out, size_t len);
/*
 * Before a share comes up: the host's address is here, the route to each
 * peer host carries the MTU the wires across hosts were compiled for, and
 * the UDP ports of the nodes booting[] are free.
 */
int lab_hosts_probe(const struct lab *lab, const bool *booting, struct err *e);
/* remove the state dir lab_load made when nothing came up in it */
void lab_host_abandon(const struct lab *lab);

#endif
