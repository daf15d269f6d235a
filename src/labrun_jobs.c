// SPDX-License-Identifier: GPL-2.0
/*
 * Booting a lab's nodes in parallel: one forked umnet per node (node_up),
 * at most `jobs` at a time, each reporting its result through a pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "labrun_int.h"
#include "nodeup.h"

/* ---- booting nodes in parallel ---------------------------------------- */

struct job {
	int node;
	pid_t pid;
	int fd;
	char *buf;
	size_t len;
};

/* child: bring one node up, report "RET PID TOTAL BOOT\nMSG\0CONSOLE" */
static void node_child(struct lab *lab, int node, int timeout_s, int fd)
{
	struct up_result res = { 0 };
	struct err e = { "" };
	struct strbuf sb = { 0 };
	int ret;

	ret = node_up(lab->nodes[node].p, timeout_s, &res, &e);
	sb_printf(&sb, "%d %d %lld %lld\n%s", ret, (int)res.pid, res.total_ms,
		  res.boot_ms, e.msg);
	sb.len++; /* the NUL */
	sb_printf(&sb, "%s", sb_str(&res.console));
	if (!sb.oom && write(fd, sb.buf, sb.len + 1) < 0)
		_exit(1);
	_exit(0);
}

static int job_finish(struct job *j, const struct lab *lab, lab_progress_fn cb,
		      void *arg)
{
	struct up_result res = { 0 };
	struct err e = { "" };
	int ret = -EIO, pid = 0;
	char *msg;

	waitpid(j->pid, NULL, 0);
	if (j->buf && sscanf(j->buf, "%d %d %lld %lld", &ret, &pid,
			     &res.total_ms, &res.boot_ms) == 4) {
		res.pid = pid;
		msg = strchr(j->buf, '\n');
		if (msg) {
			strscpy(e.msg, msg + 1, sizeof(e.msg));
			if (strlen(msg + 1) + 1 < j->len - (msg + 1 - j->buf))
				sb_printf(&res.console, "%s",
					  msg + strlen(msg) + 1);
		}
	} else {
		snprintf(e.msg, sizeof(e.msg),
			 "%s: the umnet process bringing it up died",
			 lab->nodes[j->node].name);
	}
	if (cb)
		cb(arg, lab, j->node, ret, &res, &e);
	sb_free(&res.console);
	free(j->buf);
	j->buf = NULL;
	close(j->fd);
	return ret;
}

static int boot_nodes(struct lab *lab, const bool *which, int jobs,
		      int timeout_s, lab_progress_fn cb, void *arg, bool *ok)
{
	int next = 0, active = 0, failed = 0, i;
	struct job *run;

	jobs = jobs < 1 ? 1 : jobs > LAB_JOBS_MAX ? LAB_JOBS_MAX : jobs;
	run = calloc(jobs, sizeof(*run));
	if (!run)
		return -ENOMEM;
	fflush(NULL);
	for (;;) {
		struct pollfd pfd[LAB_JOBS_MAX];

		while (active < jobs && next < lab->nnodes) {
			int pfds[2];
			pid_t pid;

			if (which && !which[next]) {
				next++;
				continue;
			}
			if (pipe2(pfds, O_CLOEXEC) < 0) {
				failed++;
				next = lab->nnodes;
				break;
			}
			pid = fork();
			if (pid == 0) {
				close(pfds[0]);
				node_child(lab, next, timeout_s, pfds[1]);
			}
			close(pfds[1]);
			if (pid < 0) {
				close(pfds[0]);
				failed++;
				next = lab->nnodes;
				break;
			}
			for (i = 0; run[i].pid; i++)
				;
			run[i] = (struct job){ .node = next,
					       .pid = pid,
					       .fd = pfds[0] };
			active++;
			next++;
		}
		if (!active)
			break;
		for (i = 0; i < jobs; i++) {
			pfd[i].fd = run[i].pid ? run[i].fd : -1;
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, jobs, -1) < 0 && errno != EINTR)
			break;
		for (i = 0; i < jobs; i++) {
			char buf[4096];
			ssize_t n;

			if (!run[i].pid || !pfd[i].revents)
				continue;
			n = read(run[i].fd, buf, sizeof(buf));
			if (n > 0) {
				char *b =
					realloc(run[i].buf, run[i].len + n + 1);

				if (b) {
					memcpy(b + run[i].len, buf, n);
					run[i].len += n;
					b[run[i].len] = '\0';
					run[i].buf = b;
				}
				continue;
			}
			if (job_finish(&run[i], lab, cb, arg)) {
				failed++;
				ok[run[i].node] = false;
			} else {
				ok[run[i].node] = true;
			}
			run[i].pid = 0;
			active--;
		}
	}
	free(run);
	return failed ? -EIO : 0;
}

/*
 * A node run inside a namespace (netns =) may send from an address that
 * another node's netns link puts there (a tunnel's local address): when a
 * lab has such nodes, the nodes with host-side links boot first.
 */
int boot_waves(struct lab *lab, const bool *which, int jobs, int timeout_s,
	       lab_progress_fn cb, void *arg, bool *ok)
{
	bool *first = calloc(lab->nnodes, sizeof(bool));
	bool *rest = calloc(lab->nnodes, sizeof(bool));
	bool inside = false;
	int i, j, ret;

	if (!first || !rest) {
		ret = -ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < lab->nnodes; i++) {
		const struct profile *p = lab->nodes[i].p;
		bool host_side = false;

		for (j = 0; j < p->nifaces; j++)
			if (p->ifaces[j].host == HOST_VETH ||
			    p->ifaces[j].host == HOST_TAP)
				host_side = true;
		if (p->netns[0])
			inside = true;
		first[i] = (!which || which[i]) && host_side;
		rest[i] = (!which || which[i]) && !host_side;
	}
	if (!inside) {
		ret = boot_nodes(lab, which, jobs, timeout_s, cb, arg, ok);
		goto cleanup;
	}
	ret = boot_nodes(lab, first, jobs, timeout_s, cb, arg, ok);
	if (!ret)
		ret = boot_nodes(lab, rest, jobs, timeout_s, cb, arg, ok);
cleanup:
	free(first);
	free(rest);
	return ret;
}
