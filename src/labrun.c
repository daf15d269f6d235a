// SPDX-License-Identifier: GPL-2.0
/*
 * The lab operations (labrun.h): up, restart, down and repair. A lab's
 * state is in labrun_state.c, its switches and namespaces in
 * labrun_infra.c, parallel boots in labrun_jobs.c, wires in wires.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "labimpair.h"
#include "labnat.h"
#include "labrun.h"
#include "labrun_int.h"
#include "node.h"
#include "nodeup.h"
#include "wires.h"

static int teardown_node(const struct lab *lab, int node, struct err *e)
{
	struct node_paths np;
	char name[NODE_NAME_MAX + 1];

	lab_node_hostname(lab, node, name, sizeof(name));
	if (node_paths(name, &np) || access(np.dir, F_OK))
		return 0;
	return node_down(&np, e);
}

/* cut links stay cut when one of their nodes comes back */
static void reapply_cuts(const struct lab *lab, const bool *booted)
{
	struct err e;
	int i, j;

	for (i = 0; i < lab->nlinks; i++) {
		bool mine = false;

		if (!lab_link_is_down(lab->name, lab->links[i].name))
			continue;
		for (j = 0; j < lab->links[i].neps; j++)
			if (booted[lab->links[i].eps[j].node])
				mine = true;
		if (mine)
			lab_link_set(lab, i, true, &e);
	}
	lab_impair_reapply(lab, booted);
}

int lab_up(struct lab *lab, const bool *only, int jobs, int timeout_s,
	   lab_progress_fn cb, void *arg, struct err *e)
{
	struct lab_paths lp;
	struct err e2 = { "" };
	bool fresh = false, booting = false, *which = NULL, *ok = NULL;
	int i, ret, n = 0;

	ret = lab_paths(lab->name, &lp);
	if (ret)
		return errf(e, ret, "lab %s: %s", lab->name, strerror(-ret));
	which = calloc(lab->nnodes, sizeof(*which));
	ok = calloc(lab->nnodes, sizeof(*ok));
	if (!which || !ok) {
		ret = errf(e, -ENOMEM, "out of memory");
		goto cleanup;
	}
	/* the copy exists once a lab was brought up (lab_load made the dir) */
	fresh = access(lp.copy, F_OK) != 0;
	for (i = 0; i < lab->nnodes; i++) {
		struct node_paths np;

		which[i] = (!only || only[i]) && lab_node_here(lab, i);
		if (!fresh && which[i] &&
		    !node_paths(lab->nodes[i].p->name, &np) &&
		    access(np.dir, F_OK) == 0) {
			if (only) {
				ret = errf(
					e, -EEXIST,
					"lab %s: node %s is up already ('umnet lab restart %s %s' restarts it)",
					lab->name, lab->nodes[i].name,
					lab->name, lab->nodes[i].name);
				goto cleanup;
			}
			which[i] = false;
		}
		n += which[i];
	}
	if (!fresh && !n) {
		ret = errf(
			e, -EEXIST,
			"lab %s is up already, with all its nodes ('umnet lab status %s'; 'umnet lab down %s')",
			lab->name, lab->name, lab->name);
		goto cleanup;
	}
	/* bridged = yes: root only; say so before anything is made */
	if (fresh && (ret = lab_nat_check(lab, e)))
		goto cleanup;
	ret = lab_hosts_probe(lab, which, e);
	if (ret)
		goto cleanup;
	ret = check_clashes(lab, which, e);
	if (ret)
		goto cleanup;
	if (fresh) {
		char src[2 * PATH_MAX + 4];
		char *text = NULL;
		int len;

		ret = read_file(lab->path, &text, NULL);
		if (!ret) {
			ret = write_file(lp.copy, text, strlen(text), 0600);
			free(text);
		}
		len = snprintf(src, sizeof(src), "%s\n%s\n", lab->path,
			       lab->dir);
		if (!ret)
			ret = write_file(lp.source, src, len, 0600);
		if (ret) {
			errf(e, ret, "lab %s: saving the lab in %s: %s",
			     lab->name, lp.dir, strerror(-ret));
			goto cleanup;
		}
		if ((ret = lab_host_record(lab, e)) ||
		    (ret = make_netns(lab, &lp, e)) ||
		    (ret = lab_nat_up(lab, lp.journal, e)) ||
		    (ret = wire_keeper_start(lab, &lp, e)) ||
		    (ret = start_switches(lab, &lp, e)) ||
		    (ret = start_recorders(lab, &lp, e)))
			goto cleanup;
	}
	booting = true;
	ret = boot_waves(lab, which, jobs, timeout_s, cb, arg, ok);
	if (ret) {
		errf(e, ret, "lab %s: %s", lab->name,
		     ret == -EIO ? "some nodes failed to come up"
				 : strerror(-ret));
		goto cleanup;
	}
	reapply_cuts(lab, which);
cleanup:
	if (ret && booting) {
		/* remove what this call made */
		for (i = 0; i < lab->nnodes; i++)
			if (which[i])
				teardown_node(lab, i, &e2);
	}
	if (ret && fresh)
		infra_down(lab->name, &e2);
	if (ret)
		lab_err_origin(lab, e);
	free(which);
	free(ok);
	return ret;
}

int lab_restart(struct lab *lab, const bool *which, int jobs, int timeout_s,
		lab_progress_fn cb, void *arg, struct err *e)
{
	struct lab_paths lp;
	bool *ok, *mine = NULL;
	int i, ret = 0;

	if (!lab_is_up(lab->name))
		return errf(e, -ENOENT, "lab %s is not up", lab->name);
	lab_paths(lab->name, &lp);
	ok = calloc(lab->nnodes, sizeof(*ok));
	if (!ok)
		return errf(e, -ENOMEM, "out of memory");
	if (lab->nhosts) { /* a lab across hosts: this host's share */
		mine = calloc(lab->nnodes, sizeof(*mine));
		if (!mine) {
			ret = errf(e, -ENOMEM, "out of memory");
			goto cleanup;
		}
		for (i = 0; i < lab->nnodes; i++)
			mine[i] = (!which || which[i]) && lab_node_here(lab, i);
		which = mine;
	}
	for (i = 0; i < lab->nnodes; i++) {
		if (which && !which[i])
			continue;
		ret = teardown_node(lab, i, e);
		if (ret)
			goto cleanup;
	}
	ret = boot_waves(lab, which, jobs, timeout_s, cb, arg, ok);
	if (ret) {
		errf(e, ret, "lab %s: some nodes failed to come back",
		     lab->name);
		goto cleanup;
	}
	{
		bool *all = calloc(lab->nnodes, sizeof(*all));

		for (i = 0; all && i < lab->nnodes; i++)
			all[i] = !which || which[i];
		if (all)
			reapply_cuts(lab, all);
		free(all);
	}
cleanup:
	free(ok);
	free(mine);
	return ret;
}

int lab_down(const char *name, struct err *e)
{
	node_name_t *names = NULL;
	struct err e2 = { "" };
	char prefix[LAB_NAME_MAX + 2];
	int n, i, ret, first = 0, lockfd;

	if (!lab_name_valid(name))
		return errf(e, -EINVAL, "'%s' is not a lab name", name);
	lockfd = name_lock("lab", name, "taking the lab down", LAB_LOCK_WAIT_S,
			   e);
	if (lockfd < 0)
		return lockfd;
	/* every node LAB.*, whatever the lab file says now */
	snprintf(prefix, sizeof(prefix), "%s.", name);
	n = node_list(&names);
	/*
	 * First kill every running node whose disk is thrown away anyway: the
	 * host frees them all (memory, page tables, helper processes) while
	 * the loop below tears them down one by one, instead of waiting for
	 * each in turn (1000 nodes: down in 34 s, most of it such waits).
	 */
	for (i = 0; i < n; i++) {
		struct node_paths np;
		pid_t pid;

		if (!strncmp(names[i], prefix, strlen(prefix)) &&
		    !node_paths(names[i], &np) && node_disk_is_ephemeral(&np) &&
		    node_running(&np, &pid) && pid > 1)
			kill(-pid, SIGKILL);
	}
	for (i = 0; i < n; i++) {
		struct node_paths np;

		if (strncmp(names[i], prefix, strlen(prefix)) ||
		    node_paths(names[i], &np))
			continue;
		ret = node_down(&np, &e2);
		if (ret && !first) {
			first = ret;
			*e = e2;
		}
	}
	free(names);
	if (n < 0 && !first) {
		first = n;
		errf(e, n, "lab %s: listing its nodes: %s", name, strerror(-n));
	}
	ret = infra_down(name, &e2);
	if (ret && !first) {
		first = ret;
		*e = e2;
	}
	name_unlock(lockfd, "lab", name, !lab_is_up(name));
	return first;
}

/* ---- repair --------------------------------------------------------------- */

/* the newest record of what (a lab process) says it is alive */
static bool proc_alive(const struct lab_proc *procs, int n, const char *what)
{
	int i;

	for (i = n - 1; i >= 0; i--)
		if (!strcmp(procs[i].what, what))
			return procs[i].alive;
	return false;
}

/* drop the records of dead processes that a newer record replaces */
static int procs_compact(const struct lab_paths *lp, const char *name)
{
	struct lab_proc *procs = NULL;
	struct strbuf sb = { 0 };
	char tmp[PATH_MAX + 8];
	int n, i, j, ret;

	n = lab_procs(name, &procs);
	if (n <= 0)
		return n;
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++)
			if (!strcmp(procs[i].what, procs[j].what))
				break;
		if (j < n && !procs[i].alive)
			continue;
		sb_printf(&sb, "%d %llu %s\n", (int)procs[i].pid,
			  procs[i].start, procs[i].what);
	}
	ret = path_fmt(tmp, sizeof(tmp), "%s.new", lp->procs);
	if (ret)
		goto cleanup;
	ret = sb.oom ? -ENOMEM : write_file(tmp, sb.buf, sb.len, 0600);
	if (!ret && rename(tmp, lp->procs) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
cleanup:
	sb_free(&sb);
	free(procs);
	return ret;
}

int lab_repair(struct lab *lab, int jobs, int timeout_s, lab_progress_fn cb,
	       lab_event_fn ev, void *arg, struct err *e)
{
	struct lab_proc *procs = NULL;
	struct lab_paths lp;
	bool *reboot = NULL, *ok = NULL, *sw = NULL, wires = false;
	char msg[256], what[64];
	int i, j, n, nprocs, ret = 0, fixed = 0;

	if (!lab_is_up(lab->name))
		return errf(e, -ENOENT, "lab %s is not up", lab->name);
	lab_paths(lab->name, &lp);
	reboot = calloc(lab->nnodes, sizeof(*reboot));
	ok = calloc(lab->nnodes, sizeof(*ok));
	sw = calloc(lab->nlinks, sizeof(*sw));
	if (!reboot || !ok || !sw) {
		ret = errf(e, -ENOMEM, "out of memory");
		goto cleanup;
	}
	procs_compact(&lp, lab->name);
	nprocs = lab_procs(lab->name, &procs);
	if (nprocs < 0)
		nprocs = 0;
	for (i = 0; i < lab->nlinks; i++)
		if (lab_link_wired(&lab->links[i]) &&
		    lab_link_here(lab, &lab->links[i]))
			wires = true;
	/* the keeper: new socketpairs, so every node on a wire boots again */
	if (wires && !proc_alive(procs, nprocs, "keeper")) {
		ret = wire_keeper_start(lab, &lp, e);
		if (ret)
			goto cleanup;
		for (i = 0; i < lab->nlinks; i++) {
			const struct lab_link *l = &lab->links[i];

			if (!lab_link_wired(l) || !lab_link_here(lab, l))
				continue;
			for (j = 0; j < l->neps; j++)
				reboot[l->eps[j].node] = true;
		}
		ev(arg,
		   "the wire keeper was dead: started a new one with new wires; the nodes on them boot again");
		fixed++;
	}
	/* switches: the same socket path; nodes on them reattach below */
	for (i = 0; i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];

		if (!lab_switch_here(lab, l))
			continue;
		snprintf(what, sizeof(what), "switch %s", l->name);
		if (proc_alive(procs, nprocs, what))
			continue;
		ret = start_switch(lab, &lp, l, e);
		if (ret)
			goto cleanup;
		sw[i] = true;
		snprintf(msg, sizeof(msg), "switch %s was dead: restarted",
			 l->name);
		ev(arg, msg);
		fixed++;
	}
	/* recorders (capture = yes on netns links): they follow the link */
	for (i = 0; i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];

		if (l->kind != LINK_NETNS || !l->capture ||
		    !lab_link_here(lab, l))
			continue;
		snprintf(what, sizeof(what), "record %s", l->name);
		if (proc_alive(procs, nprocs, what))
			continue;
		ret = start_recorder(&lp, l, e);
		if (ret)
			goto cleanup;
		snprintf(msg, sizeof(msg),
			 "the recorder of %s was dead: restarted", l->name);
		ev(arg, msg);
		fixed++;
	}
	ret = procs_compact(&lp, lab->name);
	if (ret) {
		errf(e, ret, "%s: %s", lp.procs, strerror(-ret));
		goto cleanup;
	}
	for (i = 0; i < lab->nnodes; i++) {
		struct node_paths np;

		if (!lab_node_here(lab, i) ||
		    node_paths(lab->nodes[i].p->name, &np) ||
		    node_running(&np, NULL))
			continue;
		if (!reboot[i]) {
			snprintf(msg, sizeof(msg),
				 "node %s was %s: it boots again",
				 lab->nodes[i].name,
				 access(np.dir, F_OK)
					 ? "missing"
					 : "dead (its UML process is gone)");
			ev(arg, msg);
			fixed++;
		}
		reboot[i] = true;
	}
	/*
	 * A node still running on a restarted switch: its bess transport
	 * connects again when the interface goes down and up. A node that
	 * cannot do that in time (the driver of some kernels spins on a
	 * socket whose peer is gone) boots again instead.
	 */
	for (i = 0; i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];

		for (j = 0; sw[i] && j < l->neps; j++) {
			const struct lab_endpoint *ep = &l->eps[j];
			char cmd[128], out[256];
			int status = 0, r;

			/* on another host: it reaches the switch by UDP */
			if (reboot[ep->node] || !lab_node_here(lab, ep->node))
				continue;
			snprintf(
				cmd, sizeof(cmd),
				"ip link set vec%d down && ip link set vec%d up 2>&1",
				ep->vec, ep->vec);
			r = lab_node_sh(lab, ep->node, cmd, 3000, &status, out,
					sizeof(out));
			if (r || status) {
				snprintf(
					msg, sizeof(msg),
					"node %s: vec%d did not reattach to switch %s (%s): it boots again",
					lab->nodes[ep->node].name, ep->vec,
					l->name,
					r ? strerror(-r) : strtrim(out));
				reboot[ep->node] = true;
			} else {
				snprintf(
					msg, sizeof(msg),
					"node %s: vec%d reattached to switch %s",
					lab->nodes[ep->node].name, ep->vec,
					l->name);
			}
			ev(arg, msg);
		}
	}
	for (i = 0, n = 0; i < lab->nnodes; i++) {
		if (!reboot[i])
			continue;
		n++;
		ret = teardown_node(lab, i, e);
		if (ret)
			goto cleanup;
	}
	if (n) {
		ret = boot_waves(lab, reboot, jobs, timeout_s, cb, arg, ok);
		if (ret) {
			errf(e, ret, "lab %s: some nodes failed to come back",
			     lab->name);
			goto cleanup;
		}
		reapply_cuts(lab, reboot);
	}
	ret = fixed;
cleanup:
	free(procs);
	free(reboot);
	free(ok);
	free(sw);
	return ret;
}
