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
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jail.h"
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
	/*
	 * Only errors and worse reach the console (the node's console log on
	 * the host) by default: a guest's debug and info printk cannot fill
	 * the host's disk at boot or under load. All levels stay in the
	 * guest's dmesg. This bounds the default only: root in the guest can
	 * raise the level again (dmesg -n).
	 */
	ret |= argv_add(out, "loglevel=4");
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

/* arch/um/include/asm/setup.h; UML adds "console=tty0" without console= */
#define UML_COMMAND_LINE_SIZE 4096
#define UML_DEFAULT_CONSOLE "console=tty0"

/* where an argument's text comes from, for the error message */
static const char *arg_source(const char *arg)
{
	if (!strncmp(arg, "uml_dir=", 8) || !strncmp(arg, "ubd1", 4) ||
	    !strncmp(arg, "mconsole=", 9))
		return "the state directory (UMNET_STATE_DIR, else /run/umnet as root, else $XDG_RUNTIME_DIR/umnet): choose one";
	if (!strncmp(arg, "ubd0", 4))
		return "the profile's disk =, the state directory or the base image (UMNET_ROOTFS): choose paths";
	if (!strncmp(arg, "vec", 3))
		return "the profile's [interface] keys and the paths umnet adds (state directory, bess sockets): use values and paths";
	return "the profile or the environment: use values";
}

static int arg_err(struct err *e, const char *arg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int arg_err(struct err *e, const char *arg, const char *fmt, ...)
{
	char shown[200], msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_set(e,
		"refusing to start UML: the command line argument \"%s\" %s; the kernel splits its command line on whitespace, and its options on ',', '=' and ':'. It comes from %s of printable ASCII without spaces, quotes, ',' or ':'",
		str_escape(arg, shown, sizeof(shown)), msg, arg_source(arg));
	return -EINVAL;
}

/* "vecN:k=v,...": the syntax uml_parse_vector_ifspec reads */
static int check_vec(const char *arg, struct err *e)
{
	const char *p = arg + 3, *pair;
	int npairs = 0;

	if (!(*p >= '0' && *p <= '9'))
		return arg_err(e, arg, "is not vecN:...");
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p++ != ':')
		return arg_err(e, arg, "is not vecN:...");
	if (strncmp(p, "transport=", 10))
		return arg_err(e, arg, "does not start with transport=");
	for (pair = p; *pair; npairs++) {
		size_t len = strcspn(pair, ","), klen = strcspn(pair, "=,");

		if (klen == 0 || klen >= len - 1 ||
		    memchr(pair + klen + 1, '=', len - klen - 1))
			return arg_err(
				e, arg,
				"has an option that is not key=value (pair %d)",
				npairs + 1);
		pair += len;
		if (*pair == ',' && !*++pair)
			return arg_err(e, arg, "ends with ','");
	}
	if (npairs > VECTOR_MAX_ARGS)
		return arg_err(e, arg,
			       "has %d options: the kernel reads at most %d",
			       npairs, VECTOR_MAX_ARGS);
	return 0;
}

int argv_check(const struct argv *a, struct err *e)
{
	size_t total = 0;
	const char *why;
	char wbuf[64];
	int i, nparts;

	if (!a || a->n < 2 || !a->v[0] || !a->v[0][0])
		return err_set(e,
			       "refusing to start UML: no kernel or no arguments"),
		       -EINVAL;
	for (const char *s = a->v[0]; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return arg_err(
				e, a->v[0],
				"(the kernel) contains a control character");
	for (i = 1; i < a->n; i++) {
		const char *v = a->v[i];
		const char *eq;

		if (!v)
			return arg_err(e, "(null)", "is missing");
		why = cmdline_unsafe(v, NULL, wbuf, sizeof(wbuf));
		if (why)
			return arg_err(e, v, "%s", why);
		if (!((v[0] >= 'a' && v[0] <= 'z') ||
		      (v[0] >= 'A' && v[0] <= 'Z') ||
		      (v[0] >= '0' && v[0] <= '9')))
			return arg_err(e, v,
				       "does not start with a letter or digit");
		if (!strncmp(v, "vec", 3) && check_vec(v, e))
			return -EINVAL;
		eq = strchr(v, '=');
		if (!strncmp(v, "ubd", 3) && eq) {
			/* ubd_setup_common: FILE[,:]BACKING[,:]SERIAL */
			if (strchr(eq + 1, ':'))
				return arg_err(
					e, v,
					"contains ':', on which ubd= splits its value");
			nparts = 1;
			for (const char *s = eq + 1; *s; s++)
				nparts += *s == ',';
			if (nparts > 2)
				return arg_err(
					e, v,
					"has more than FILE,BACKING (ubd= splits on ',')");
		}
		/* umid= is UML's alone; everything else joins the command line */
		if (strncmp(v, "umid=", 5))
			total += strlen(v) + 1;
	}
	total += strlen(UML_DEFAULT_CONSOLE);
	if (total >= UML_COMMAND_LINE_SIZE)
		return err_set(e,
			       "refusing to start UML: its command line would be %zu bytes, the kernel takes at most %d: use shorter paths (state directory, profile directory) or fewer interface options",
			       total, UML_COMMAND_LINE_SIZE - 1),
		       -E2BIG;
	return 0;
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
			ret = nsfd;
			err_set(e, "%s: netns %s: %s", np->name, netns,
				strerror(-nsfd));
			goto cleanup;
		}
	}
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(st, O_CLOEXEC) < 0) {
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
		err_set(e, "%s: %s", np->pidfile, strerror(-ret));
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		goto cleanup;
	}
	if (write(go[1], "g", 1) != 1) {
		ret = -EIO;
		err_set(e, "%s: starting UML: %s", np->name, strerror(errno));
		goto cleanup;
	}
	/* EOF: it exec'd UML; else the step that failed */
	do
		n = read(st[0], msg, sizeof(msg) - 1);
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		msg[n] = '\0';
		ret = -EPERM;
		err_set(e, "%s: starting UML in its jail: %s", np->name, msg);
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

/*
 * The console log: what UML writes on its console (a pipe), kept to at
 * most CONSOLE_LOG_MAX bytes. When full, the newer half is kept and a line
 * says what was dropped, so a flooding guest costs the host a bounded
 * amount and the last messages (a panic) are always there.
 */
#define CONSOLE_LOG_MAX (4 * 1024 * 1024)

static void log_append(int logfd, const char *buf, size_t len, off_t *size)
{
	static char tail[CONSOLE_LOG_MAX / 2];
	static const char mark[] = "[umnet: console log over 4 MiB: "
				   "older lines dropped]\n";
	ssize_t n;

	if (*size + (off_t)len > CONSOLE_LOG_MAX) {
		n = pread(logfd, tail, sizeof(tail), *size - sizeof(tail));
		if (n > 0) {
			/* from the first whole line on */
			char *nl = memchr(tail, '\n', n);
			size_t skip = nl ? (size_t)(nl + 1 - tail) : 0;

			if (pwrite(logfd, mark, sizeof(mark) - 1, 0) < 0 ||
			    pwrite(logfd, tail + skip, n - skip,
				   sizeof(mark) - 1) < 0)
				return;
			*size = sizeof(mark) - 1 + n - skip;
			if (ftruncate(logfd, *size) < 0)
				return;
		}
	}
	n = pwrite(logfd, buf, len, *size);
	if (n > 0)
		*size += n;
}

/*
 * The holder: copies the console pipe into the log until every UML
 * process has closed it; once told the node is ready (its pid on
 * ready_fd), it also keeps the host ends of con1 and con2 open, reopening
 * a console whose pts changed (after a reboot).
 */
static void holder_main(const struct node_paths *np, int console, int ready,
			int logfd)
{
	char path[2][64] = { "", "" }, cur[64], buf[8192];
	int fds[2] = { -1, -1 }, i;
	bool held = false;
	off_t size = lseek(logfd, 0, SEEK_END);

	if (size < 0)
		size = 0;
	for (;;) {
		struct pollfd p[2] = { { console, POLLIN, 0 },
				       { ready, POLLIN, 0 } };
		int r = poll(p, ready >= 0 ? 2 : 1, held ? 2000 : -1);
		ssize_t n;

		if (r < 0 && errno != EINTR)
			break;
		if (p[0].revents) {
			n = read(console, buf, sizeof(buf));
			if (n == 0 ||
			    (n < 0 && errno != EINTR && errno != EAGAIN))
				break; /* UML and its helpers are gone */
			if (n > 0)
				log_append(logfd, buf, n, &size);
		}
		if (ready >= 0 && p[1].revents) {
			char c;

			if (read(ready, &c, 1) == 1)
				held = true;
			close(ready);
			ready = -1;
		}
		if (!held)
			continue;
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
	}
	_exit(0);
}

int uml_holder_start(const struct node_paths *np, const struct jail *j,
		     int *console_wr, int *ready_wr, struct err *e)
{
	int con[2] = { -1, -1 }, rdy[2] = { -1, -1 }, logfd = -1, ret = 0, n;
	unsigned long long st = 0;
	char buf[64];
	pid_t child;

	logfd = open(np->console, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (logfd < 0) {
		ret = -errno;
		err_set(e, "%s: %s", np->console, strerror(errno));
		goto cleanup;
	}
	if (pipe2(con, O_CLOEXEC) < 0 || pipe2(rdy, O_CLOEXEC) < 0) {
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
		int keep[3] = { con[0], rdy[0], logfd }, nullfd;
		struct jail jj = *j;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setsid();
		close(con[1]);
		close(rdy[1]);
		nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (nullfd >= 0) {
			dup2(nullfd, 0);
			dup2(nullfd, 1);
			dup2(nullfd, 2);
		}
		signal(SIGPIPE, SIG_IGN);
		prctl(PR_SET_NAME, "umnet-holder");
		jj.keep_fds = keep;
		jj.nkeep = 3;
		jail_enter_or_exit(&jj, logfd, "umnet: console holder");
		/* it outlives this umnet */
		prctl(PR_SET_PDEATHSIG, 0);
		holder_main(np, con[0], rdy[0], logfd);
	}
	/* the holder's own record, for teardown */
	ret = pid_starttime(child, &st);
	if (!ret) {
		n = snprintf(buf, sizeof(buf), "%d %llu\n", (int)child, st);
		ret = write_file(np->holder, buf, n, 0644);
	}
	if (ret) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		err_set(e, "%s: %s", np->holder, strerror(-ret));
		goto cleanup;
	}
	*console_wr = con[1];
	*ready_wr = rdy[1];
	con[1] = rdy[1] = -1;
cleanup:
	if (logfd >= 0)
		close(logfd);
	for (n = 0; n < 2; n++) {
		if (con[n] >= 0)
			close(con[n]);
		if (rdy[n] >= 0)
			close(rdy[n]);
	}
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
