// SPDX-License-Identifier: GPL-2.0
/*
 * Starting and watching UML (supervisor.h): the fds it inherits, the
 * jailed child, waiting for ready, stopping it. The command line is
 * supervisor_argv.c, the console holder supervisor_console.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "jail.h"
#include "mconsole.h"
#include "supervisor.h"

pid_t pipes_fork(int a[2], int b[2], struct err *e)
{
	pid_t child;

	if (pipe2(a, O_CLOEXEC) < 0 || pipe2(b, O_CLOEXEC) < 0)
		return errf(e, -errno, "pipe: %m");
	child = fork();
	if (child < 0)
		return errf(e, -errno, "fork: %m");
	return child;
}

static int pidfd_open(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

int fd_pass_add(struct fd_pass *pass, int fd, int target)
{
	int d;

	if (pass->n >= ARRAY_SIZE(pass->v) || target < 3 || target > 1023)
		return -EINVAL;
	/*
	 * any free number: a user's RLIMIT_NOFILE is often 1024, so a dup
	 * to 1024 and above fails (EINVAL); the child sorts out collisions
	 */
	d = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (d < 0)
		return -errno;
	pass->v[pass->n].fd = d;
	pass->v[pass->n].target = target;
	pass->n++;
	return 0;
}

void fd_pass_close(struct fd_pass *pass)
{
	size_t i;

	for (i = 0; i < pass->n; i++)
		close(pass->v[i].fd);
	pass->n = 0;
}

static bool is_target(const struct fd_pass *pass, int fd)
{
	size_t i;

	for (i = 0; i < pass->n; i++)
		if (pass->v[i].target == fd)
			return true;
	return false;
}

/*
 * in the child: move the passed fds into place, without CLOEXEC. First
 * every fd that sits on some target number moves above all targets, so
 * no dup2 below closes a passed fd not yet placed.
 */
static int place_passed_fds(struct fd_pass *pass)
{
	struct rlimit rl;
	int top = 0, d;
	size_t i;

	for (i = 0; i < pass->n; i++)
		if (pass->v[i].target > top)
			top = pass->v[i].target;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur <= (rlim_t)top + 64 &&
	    rl.rlim_max > rl.rlim_cur) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	for (i = 0; i < pass->n; i++) {
		if (!is_target(pass, pass->v[i].fd))
			continue;
		d = fcntl(pass->v[i].fd, F_DUPFD_CLOEXEC, top + 1);
		if (d < 0)
			return -errno;
		pass->v[i].fd = d;
	}
	for (i = 0; i < pass->n; i++)
		if (dup2(pass->v[i].fd, pass->v[i].target) < 0)
			return -errno;
	return 0;
}

/* a step of the child that failed, for the parent's message */
static void child_fail(int fd, const char *what, int err)
{
	dprintf(fd, "%s: %s", what, strerror(err));
	_exit(126);
}

/*
 * The UML child, between fork and exec. It waits until the parent has
 * recorded its pid (a byte on go), so that a kill -9 of umnet at any point
 * leaves either no child (the parent death signal, or EOF on go) or a
 * recorded one; then it enters the node's netns and its jail. A failure is
 * written to status (close-on-exec: EOF there means exec succeeded).
 */
static void uml_child(const struct argv *a, const struct node_paths *np,
		      const struct jail *j, struct fd_pass *pass, int nsfd,
		      int console, int go, int status, pid_t parent)
{
	int keep[FD_PASS_MAX + 8], nkeep = 0, nullfd;
	const char *what = NULL;
	struct jail jj = *j;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent || read(go, &c, 1) != 1)
		_exit(0);
	prctl(PR_SET_PDEATHSIG, 0);
	close(go);
	setsid();
	if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET) < 0)
		child_fail(status, "entering the node's netns", errno);
	nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (nullfd < 0 || dup2(nullfd, 0) < 0 || dup2(console, 1) < 0 ||
	    dup2(console, 2) < 0)
		child_fail(status, "console", errno);
	signal(SIGPIPE, SIG_DFL);
	/*
	 * UML adds the gap between its image and a randomized brk to guest
	 * memory (the "exec-shield gap", 60-400 MiB): a struct page for
	 * each of those pages costs boot time and host RSS. Without
	 * randomization there is no gap.
	 */
	personality(ADDR_NO_RANDOMIZE);
	if (place_passed_fds(pass) < 0)
		child_fail(status, "placing inherited fds", errno);
	for (size_t i = 0; i < pass->n; i++)
		keep[nkeep++] = pass->v[i].target;
	keep[nkeep++] = status;
	jj.keep_fds = keep;
	jj.nkeep = nkeep;
	if (jail_enter(&jj, &what) < 0)
		child_fail(status, what ? what : "jail", errno);
	if (chdir(np->jaildir) < 0)
		child_fail(status, np->jaildir, errno);
	jail_exec(&jj, a->v);
	child_fail(status, a->v[0], errno);
}

int uml_start(const struct argv *a, const struct node_paths *np,
	      const char *netns, const struct jail *j, struct fd_pass *pass,
	      int console, pid_t *pid, struct err *e)
{
	int nsfd = -1, go[2] = { -1, -1 }, st[2] = { -1, -1 }, ret = 0;
	char msg[512];
	pid_t child, self = getpid();
	ssize_t n;

	if (netns && netns[0]) {
		nsfd = netns_open(netns);
		if (nsfd < 0) {
			ret = errf(e, nsfd, "%s: netns %s: %s", np->name, netns,
				   strerror(-nsfd));
			goto cleanup;
		}
	}
	child = pipes_fork(go, st, e);
	if (child < 0) {
		ret = child;
		goto cleanup;
	}
	if (child == 0) {
		close(go[1]);
		close(st[0]);
		uml_child(a, np, j, pass, nsfd, console, go[0], st[1], self);
	}
	close(go[0]);
	close(st[1]);
	go[0] = st[1] = -1;
	*pid = child;
	fd_pass_close(pass);
	/* record it before it may run: teardown then always finds it */
	ret = node_write_pid(np, child);
	if (ret) {
		errf(e, ret, "%s: %s", np->pidfile, strerror(-ret));
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		goto cleanup;
	}
	if (write(go[1], "g", 1) != 1) {
		ret = errf(e, -EIO, "%s: starting UML: %m", np->name);
		goto cleanup;
	}
	/* EOF: it exec'd UML; else the step that failed */
	do
		n = read(st[0], msg, sizeof(msg) - 1);
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		msg[n] = '\0';
		ret = errf(e, -EPERM, "%s: starting UML in its jail: %s",
			   np->name, msg);
		waitpid(child, NULL, 0);
	}
cleanup:
	fd_pass_close(pass);
	if (nsfd >= 0)
		close(nsfd);
	for (n = 0; n < 2; n++) {
		if (go[n] >= 0)
			close(go[n]);
		if (st[n] >= 0)
			close(st[n]);
	}
	return ret;
}

int uml_wait_ready(const struct node_paths *np, pid_t pid, int notify_fd,
		   int timeout_ms, struct err *e)
{
	long long deadline = now_ms() + timeout_ms;
	int pfd = -1, ret = -ETIMEDOUT, status;

	pfd = pidfd_open(pid);
	for (;;) {
		struct pollfd fds[2] = { { notify_fd, POLLIN, 0 },
					 { pfd, POLLIN, 0 } };
		long long left = deadline - now_ms();
		char data[MCONSOLE_MAX_DATA + 1];
		int type, r;

		if (left <= 0) {
			ret = errf(e, -ETIMEDOUT, "%s: not ready after %d ms",
				   np->name, timeout_ms);
			break;
		}
		r = poll(fds, pfd >= 0 ? 2 : 1, left > 100 ? 100 : left);
		if (r < 0 && errno != EINTR) {
			ret = errf(e, -errno, "%s: poll: %m", np->name);
			break;
		}
		while ((r = mconsole_notify_read(notify_fd, &type, data,
						 sizeof(data))) != -EAGAIN) {
			if (r < 0)
				continue; /* malformed: ignore */
			if (type == MCONSOLE_PANIC) {
				ret = errf(e, -EIO,
					   "%s: the node's kernel panicked: %s",
					   np->name, strtrim(data));
				goto cleanup;
			}
			if (type != MCONSOLE_USER_NOTIFY)
				continue;
			strtrim(data);
			if (!strcmp(data, "ready")) {
				ret = 0;
				goto cleanup;
			}
			if (!strncmp(data, "failed", 6)) {
				ret = errf(e, -EIO,
					   "%s: boot configuration failed: %s",
					   np->name, strtrim(data + 6));
				goto cleanup;
			}
		}
		/* the process is our child: reap it if it went away */
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			if (WIFEXITED(status))
				ret = errf(
					e, -ECHILD,
					"%s: UML exited with status %d before the node was ready",
					np->name, WEXITSTATUS(status));
			else
				ret = errf(
					e, -ECHILD,
					"%s: UML was killed by signal %d before the node was ready",
					np->name, WTERMSIG(status));
			break;
		}
	}
cleanup:
	if (pfd >= 0)
		close(pfd);
	return ret;
}

static bool wait_gone(int pfd, pid_t pid, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;

	while (now_ms() < deadline) {
		if (pfd >= 0) {
			struct pollfd f = { pfd, POLLIN, 0 };

			if (poll(&f, 1, 50) > 0)
				return true;
		} else {
			usleep(20000);
		}
		/* reap if it is our child; harmless otherwise */
		waitpid(pid, NULL, WNOHANG);
		if (kill(pid, 0) < 0 && errno == ESRCH)
			return true;
	}
	return false;
}

/* Is pid a live (not zombie) member of process group pgid? */
static bool pid_in_group(pid_t pid, pid_t pgid)
{
	char path[64], buf[512], *p, state;
	int fd, n, grp;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* "PID (COMM) STATE PPID PGRP ...": COMM may hold ')' */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %*d %d", &state, &grp) != 2)
		return false;
	return grp == pgid && state != 'Z';
}

/*
 * Does UML's process group still hold a live process? A zombie does not
 * count: once UML is gone its helpers' parent is init, which on some
 * hosts reaps them only seconds later, and a zombie holds nothing. With
 * the node's cgroup only its members are looked at (a zombie has left
 * it, so this is cheap); without one, any member of the group counts.
 */
static bool group_alive(const struct node_paths *np, pid_t pgid)
{
	struct cgroup cg;
	char *procs = NULL, *line, *save = NULL;
	bool alive = false;

	if (cgroup_load(np->cgroup, &cg, NULL) || cg.kind == CGROUP_NONE ||
	    !cg.ndirs || read_file(cg.dir[0].procs, &procs, NULL))
		return kill(-pgid, 0) == 0;
	for (line = strtok_r(procs, "\n", &save); line && !alive;
	     line = strtok_r(NULL, "\n", &save))
		alive = pid_in_group(atoi(line), pgid);
	free(procs);
	return alive;
}

int uml_stop(const struct node_paths *np, pid_t pid, int timeout_ms)
{
	char *reply = NULL;
	bool alive, exists, reused;
	unsigned long long st;
	int pfd = -1;

	if (pid <= 1)
		return 0;
	alive = node_running(np, NULL);
	if (alive) {
		pfd = pidfd_open(pid);
		if (timeout_ms > 0 &&
		    mconsole_cmd(np->mconsole, "halt", 1000, &reply) >= 0)
			wait_gone(pfd, pid, timeout_ms);
		free(reply);
		alive = node_running(np, NULL);
	}
	/*
	 * UML's helper processes share its process group (UML leads its own
	 * session). Kill the group unless the pid now belongs to another
	 * process (reused), which would make the group someone else's. A
	 * zombie (UML just killed, not yet reaped) is still ours, and its
	 * helpers live on: kill them too, and wait (bounded) until they are
	 * gone, so nothing is left when down returns.
	 */
	exists = kill(pid, 0) == 0 || errno == EPERM;
	reused = exists && !alive && !pid_starttime(pid, &st);
	if (!reused) {
		long long deadline = now_ms() + 2000;

		kill(-pid, SIGKILL);
		while (group_alive(np, pid) && now_ms() < deadline) {
			waitpid(-pid, NULL, WNOHANG);
			usleep(5000);
		}
	}
	if (alive) {
		kill(pid, SIGKILL);
		wait_gone(pfd, pid, 2000);
	}
	waitpid(pid, NULL, WNOHANG);
	if (pfd >= 0)
		close(pfd);
	return 0;
}
