// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mconsole.h"
#include "netstack.h"
#include "supervisor.h"
#include "transport.h"

static int pidfd_open(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

void argv_free(struct argv *a)
{
	int i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

static int argv_add(struct argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int argv_add(struct argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (a->n + 2 > a->cap) {
		int cap = a->cap ? a->cap * 2 : 32;
		char **v = realloc(a->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return -ENOMEM;
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
	return 0;
}

unsigned long lpj_from(const char *cpuinfo, const char *kconfig)
{
	const char *b, *h;
	double mips;
	long hz;

	if (!cpuinfo || !kconfig)
		return 0;
	b = strstr(cpuinfo, "\nbogomips");
	h = strstr(kconfig, "\nCONFIG_HZ=");
	if (!b || !h || !(b = strchr(b, ':')))
		return 0;
	mips = strtod(b + 1, NULL);
	hz = strtol(h + strlen("\nCONFIG_HZ="), NULL, 10);
	if (!(mips > 1.0 && mips < 1e6) || hz < 24 || hz > 10000)
		return 0;
	/* BogoMIPS = lpj * HZ / 500000 */
	return (unsigned long)(mips * 500000.0 / hz);
}

/* KERNEL.config beside a build/linux link, or config in the cache dir */
static int read_kconfig(const char *kernel, char **out)
{
	const char *slash = strrchr(kernel, '/');
	int dirlen = slash ? (int)(slash - kernel + 1) : 0;
	char path[PATH_MAX];
	size_t len;

	if (snprintf(path, sizeof(path), "%s.config", kernel) <
		    (int)sizeof(path) &&
	    !read_file(path, out, &len))
		return 0;
	if (snprintf(path, sizeof(path), "%.*sconfig", dirlen, kernel) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	return read_file(path, out, &len);
}

unsigned long host_lpj(const char *kernel)
{
	char *cpuinfo = NULL, *kconfig = NULL;
	unsigned long lpj = 0;
	size_t len;

	if (!read_file("/proc/cpuinfo", &cpuinfo, &len) &&
	    !read_kconfig(kernel, &kconfig))
		lpj = lpj_from(cpuinfo, kconfig);
	free(cpuinfo);
	free(kconfig);
	return lpj;
}

int uml_argv(const struct profile *p, const struct node_paths *np,
	     const char *kernel, const char *rootfs, const char *cow,
	     unsigned long lpj, struct argv *out)
{
	struct strbuf sb = { 0 };
	int i, ret = 0;

	ret |= argv_add(out, "%s", kernel);
	ret |= argv_add(out, "mem=%luM", p->mem_mb);
	if (lpj)
		ret |= argv_add(out, "lpj=%lu", lpj);
	ret |= argv_add(out, "umid=%s", p->name);
	ret |= argv_add(out, "uml_dir=%s", np->umldir);
	ret |= argv_add(out, "ubd0=%s,%s", cow, rootfs);
	ret |= argv_add(out, "ubd1r=%s", np->drive);
	ret |= argv_add(out, "root=/dev/ubda");
	ret |= argv_add(out, "rw");
	ret |= argv_add(out, "con=null");
	ret |= argv_add(out, "con0=null,fd:1");
	ret |= argv_add(out, "con1=pts");
	ret |= argv_add(out, "con2=pts");
	ret |= argv_add(out, "ssl=null");
	ret |= argv_add(out, "mconsole=notify:%s", np->notify);
	for (i = 0; i < p->nifaces && !ret; i++) {
		sb.len = 0;
		ret = transport_render(p, &p->ifaces[i], np, &sb);
		if (!ret)
			ret = argv_add(out, "%s", sb_str(&sb));
	}
	sb_free(&sb);
	return ret ? -ENOMEM : 0;
}

void uml_cmdline(const struct argv *a, struct strbuf *sb)
{
	int i;

	for (i = 0; i < a->n; i++) {
		if (i)
			sb_puts(sb, " ");
		sb_shquote(sb, a->v[i]);
	}
}

/* fds for the next uml_start: one UML process per umnet invocation */
static struct {
	int fd, target;
} passed[64];
static int npassed;

int uml_pass_fd(int fd, int target)
{
	int d;

	if (npassed >= (int)ARRAY_SIZE(passed) || target < 3 || target > 1023)
		return -EINVAL;
	d = fcntl(fd, F_DUPFD_CLOEXEC, 1024);
	if (d < 0)
		return -errno;
	passed[npassed].fd = d;
	passed[npassed].target = target;
	npassed++;
	return 0;
}

/* in the child: move the passed fds into place, without CLOEXEC */
static int place_passed_fds(void)
{
	int i;

	for (i = 0; i < npassed; i++)
		if (dup2(passed[i].fd, passed[i].target) < 0)
			return -errno;
	return 0;
}

static void close_passed_fds(void)
{
	int i;

	for (i = 0; i < npassed; i++)
		close(passed[i].fd);
	npassed = 0;
}

int uml_start(const struct argv *a, const struct node_paths *np,
	      const char *netns, pid_t *pid, struct err *e)
{
	int logfd = -1, nullfd = -1, nsfd = -1, ret = 0;
	pid_t child;

	if (netns && netns[0]) {
		nsfd = netns_open(netns);
		if (nsfd < 0) {
			ret = nsfd;
			err_set(e, "%s: netns %s: %s", np->name, netns,
				strerror(-nsfd));
			goto cleanup;
		}
	}

	logfd = open(np->console, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		     0600);
	nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (logfd < 0 || nullfd < 0) {
		ret = -errno;
		err_set(e, "%s: %s", np->console, strerror(errno));
		goto cleanup;
	}
	child = fork();
	if (child < 0) {
		ret = -errno;
		err_set(e, "fork: %s", strerror(errno));
		goto cleanup;
	}
	if (child == 0) {
		struct stat st;

		setsid();
		if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET) < 0) {
			dprintf(logfd, "umnet: entering netns %s: %s\n", netns,
				strerror(errno));
			_exit(126);
		}
		dup2(nullfd, 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		if (chdir(np->dir) < 0)
			_exit(126);
		/* guest memory is a file in TMPDIR: keep it in RAM */
		if (!stat("/dev/shm", &st) && S_ISDIR(st.st_mode) &&
		    !access("/dev/shm", W_OK))
			setenv("TMPDIR", "/dev/shm", 1);
		signal(SIGPIPE, SIG_DFL);
		/*
		 * UML adds the gap between its image and a randomized brk
		 * to guest memory (the "exec-shield gap", 60-400 MiB): a
		 * struct page for each of those pages costs boot time and
		 * host RSS. Without randomization there is no gap.
		 */
		personality(ADDR_NO_RANDOMIZE);
		if (place_passed_fds() < 0) {
			dprintf(2, "umnet: placing inherited fds: %s\n",
				strerror(errno));
			_exit(126);
		}
		execv(a->v[0], a->v);
		dprintf(2, "umnet: cannot execute %s: %s\n", a->v[0],
			strerror(errno));
		_exit(127);
	}
	*pid = child;
	close_passed_fds();
	/* record it before anything else can fail */
	ret = node_write_pid(np, child);
	if (ret)
		err_set(e, "%s: %s", np->pidfile, strerror(-ret));
cleanup:
	if (nsfd >= 0)
		close(nsfd);
	if (logfd >= 0)
		close(logfd);
	if (nullfd >= 0)
		close(nullfd);
	return ret;
}

static void holder_main(const struct node_paths *np, int pidfd)
{
	char path[2][64] = { "", "" }, cur[64];
	int fds[2] = { -1, -1 }, i;

	for (;;) {
		struct pollfd p = { pidfd, POLLIN, 0 };

		/* (re)open each console whose pts changed, e.g. after reboot */
		for (i = 0; i < 2; i++) {
			if (node_pts(np, i + 1, cur, sizeof(cur)) ||
			    !strcmp(cur, path[i]))
				continue;
			if (fds[i] >= 0)
				close(fds[i]);
			fds[i] = open(cur, O_RDWR | O_NOCTTY | O_CLOEXEC);
			strscpy(path[i], fds[i] >= 0 ? cur : "",
				sizeof(path[i]));
		}
		if (poll(&p, 1, 2000) > 0)
			break; /* UML exited */
	}
	_exit(0);
}

int uml_hold_consoles(const struct node_paths *np, pid_t uml_pid, struct err *e)
{
	int pidfd = -1, nullfd = -1, ret = 0, n, gate[2] = { -1, -1 };
	unsigned long long st = 0;
	char buf[64], c = 1;
	pid_t child;

	pidfd = pidfd_open(uml_pid);
	if (pidfd < 0)
		return err_set(e, "%s: pidfd_open(%d): %s", np->name,
			       (int)uml_pid, strerror(errno)),
		       -errno;
	/*
	 * The holder waits until its pid is recorded: when umnet dies before
	 * that (kill -9), it exits instead of running unrecorded.
	 */
	if (pipe2(gate, O_CLOEXEC) < 0) {
		ret = -errno;
		err_set(e, "pipe: %s", strerror(errno));
		goto cleanup;
	}
	child = fork();
	if (child < 0) {
		ret = -errno;
		err_set(e, "fork: %s", strerror(errno));
		goto cleanup;
	}
	if (child == 0) {
		close(gate[1]);
		if (read(gate[0], &c, 1) != 1)
			_exit(0);
		setsid();
		nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (nullfd >= 0) {
			dup2(nullfd, 0);
			dup2(nullfd, 1);
			dup2(nullfd, 2);
		}
		/* keep nothing of the caller's open (e.g. a lab's pipes) */
		if (pidfd != 3 && dup2(pidfd, 3) == 3)
			pidfd = 3;
		syscall(SYS_close_range, pidfd + 1, ~0U, 0);
		signal(SIGPIPE, SIG_IGN);
		prctl(PR_SET_NAME, "umnet-holder");
		holder_main(np, pidfd);
	}
	/* the holder's own record, for teardown */
	ret = pid_starttime(child, &st);
	if (!ret) {
		n = snprintf(buf, sizeof(buf), "%d %llu\n", (int)child, st);
		ret = write_file(np->holder, buf, n, 0644);
	}
	if (ret) {
		kill(child, SIGKILL);
		err_set(e, "%s: %s", np->holder, strerror(-ret));
	} else if (write(gate[1], &c, 1) != 1) {
		/* it is gone already */
	}
cleanup:
	if (gate[0] >= 0)
		close(gate[0]);
	if (gate[1] >= 0)
		close(gate[1]);
	close(pidfd);
	return ret;
}

void uml_stop_holder(const struct node_paths *np)
{
	unsigned long long st, now;
	char *data = NULL;
	int pid;

	if (read_file(np->holder, &data, NULL))
		return;
	if (sscanf(data, "%d %llu", &pid, &st) == 2 && pid > 1 &&
	    !pid_starttime(pid, &now) && now == st) {
		long long deadline = now_ms() + 2000;

		kill(pid, SIGKILL);
		waitpid(pid, NULL, WNOHANG);
		/* reaped by init: wait (bounded) until it is really gone */
		while (!pid_starttime(pid, &now) && now == st &&
		       now_ms() < deadline)
			usleep(5000);
	}
	free(data);
}

void console_tail(const struct node_paths *np, int n, struct strbuf *sb)
{
	char *data = NULL, *p;
	size_t len = 0;
	int lines = 0;

	if (read_file(np->console, &data, &len) || !len) {
		sb_puts(sb, "  (the console log is empty)\n");
		goto cleanup;
	}
	p = data + len;
	if (p > data && p[-1] == '\n')
		p--;
	while (p > data) {
		if (p[-1] == '\n' && ++lines >= n)
			break;
		p--;
	}
	for (; *p;) {
		char *nl = strchr(p, '\n');
		int l = nl ? nl - p : (int)strlen(p);

		sb_printf(sb, "  | %.*s\n", l, p);
		p += l + (nl ? 1 : 0);
	}
cleanup:
	free(data);
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
			err_set(e, "%s: not ready after %d ms", np->name,
				timeout_ms);
			ret = -ETIMEDOUT;
			break;
		}
		r = poll(fds, pfd >= 0 ? 2 : 1, left > 100 ? 100 : left);
		if (r < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		while ((r = mconsole_notify_read(notify_fd, &type, data,
						 sizeof(data))) != -EAGAIN) {
			if (r < 0)
				continue; /* malformed: ignore */
			if (type == MCONSOLE_PANIC) {
				err_set(e, "%s: the node's kernel panicked: %s",
					np->name, strtrim(data));
				ret = -EIO;
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
				err_set(e, "%s: boot configuration failed: %s",
					np->name, strtrim(data + 6));
				ret = -EIO;
				goto cleanup;
			}
		}
		/* the process is our child: reap it if it went away */
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			if (WIFEXITED(status))
				err_set(e,
					"%s: UML exited with status %d before the node was ready",
					np->name, WEXITSTATUS(status));
			else
				err_set(e,
					"%s: UML was killed by signal %d before the node was ready",
					np->name, WTERMSIG(status));
			ret = -ECHILD;
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
		while (kill(-pid, 0) == 0 && now_ms() < deadline) {
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
