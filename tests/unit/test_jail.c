// SPDX-License-Identifier: GPL-2.0
/*
 * jail_enter in a forked child, checked from both sides: the parent reads
 * the child's /proc/PID/status (uid, groups, capability sets, NoNewPrivs,
 * Seccomp) while the child waits; then the child probes its jail (mounts,
 * fds, seccomp, ptrace of a grandchild as UML does it) and reports each
 * result as a line "ok|fail NAME: detail" through a pipe. jail_exec is in
 * test_jail_exec.c, the cgroups in test_cgroup.c. Needs root: every case
 * skips with the reason otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>

#include "jail.h"
#include "jail_unit.h"
#include "util.h"

#define CAP_NET_RAW_BIT "0000000000002000"
#define CAP_NONE "0000000000000000"

static char dir[64];

/* ---- the child side ----------------------------------------------------- */

static int res_fd = -1;

__attribute__((format(printf, 3, 4))) static void
report(bool ok, const char *name, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "%s|%s|", ok ? "ok" : "fail", name);
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(res_fd, buf, n) < 0)
		_exit(3);
}

#define EXPECT_ERRNO(name, call, want)                                         \
	do {                                                                   \
		long r_ = (call);                                              \
		int e_ = errno;                                                \
		report(r_ == -1 && e_ == (want), name, "returned %ld, %s", r_, \
		       r_ == -1 ? strerror(e_) : "no error");                  \
	} while (0)

/* fork, PTRACE_TRACEME, stop, continue, exit: what UML does per process */
static bool ptrace_grandchild(char *detail, size_t len)
{
	int st;
	pid_t p = fork();

	if (p < 0) {
		snprintf(detail, len, "fork: %s", strerror(errno));
		return false;
	}
	if (p == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
			_exit(10);
		raise(SIGSTOP);
		getppid(); /* a system call seen by PTRACE_SYSCALL */
		_exit(7);
	}
	if (waitpid(p, &st, 0) != p || !WIFSTOPPED(st) ||
	    WSTOPSIG(st) != SIGSTOP) {
		snprintf(detail, len, "first stop: status %#x", st);
		return false;
	}
	if (ptrace(PTRACE_SYSCALL, p, 0, 0) < 0) {
		snprintf(detail, len, "PTRACE_SYSCALL: %s", strerror(errno));
		return false;
	}
	if (waitpid(p, &st, 0) != p || !WIFSTOPPED(st) ||
	    WSTOPSIG(st) != SIGTRAP) {
		snprintf(detail, len, "syscall stop: status %#x", st);
		return false;
	}
	ptrace(PTRACE_DETACH, p, 0, 0);
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 7) {
		snprintf(detail, len, "exit: status %#x", st);
		return false;
	}
	snprintf(detail, len, "traced and exited 7");
	return true;
}

struct probe {
	bool net_raw;
	bool mounts; /* root with binds */
	int kept_fd, unlisted_fd;
	char ro_file[128], rw_dir[128], hidden[128];
};

static void child_checks(const struct probe *p)
{
	char detail[256], path[256];
	struct rlimit rl;
	mode_t old;
	int fd, s;
	void *m;

	report(fcntl(p->kept_fd, F_GETFD) >= 0, "kept fd stays open", "fd %d",
	       p->kept_fd);
	EXPECT_ERRNO("unlisted fd (no CLOEXEC) is closed",
		     fcntl(p->unlisted_fd, F_GETFD), EBADF);
	EXPECT_ERRNO("mount() is refused", mount("none", "/", "tmpfs", 0, NULL),
		     EPERM);
	EXPECT_ERRNO("unshare(CLONE_NEWUSER) is refused by seccomp",
		     unshare(CLONE_NEWUSER), EPERM);
	EXPECT_ERRNO("unshare(CLONE_NEWNET) is refused by seccomp",
		     unshare(CLONE_NEWNET), EPERM);
	report(unshare(CLONE_FILES) == 0, "unshare(CLONE_FILES) still works",
	       "%s", strerror(errno));
	EXPECT_ERRNO("clone3 gives ENOSYS (libc falls back to clone)",
		     syscall(SYS_clone3, NULL, 0), ENOSYS);
	EXPECT_ERRNO("x32 system calls are refused",
		     syscall(SYS_getpid | 0x40000000), EPERM);
	EXPECT_ERRNO("bpf() is refused", syscall(SYS_bpf, 0, NULL, 0), EPERM);
	EXPECT_ERRNO("keyctl() is refused", syscall(SYS_keyctl, 0, 0, 0, 0, 0),
		     EPERM);
	report(ptrace_grandchild(detail, sizeof(detail)),
	       "fork + ptrace of a grandchild works (UML needs it)", "%s",
	       detail);
	old = umask(0);
	report(old == 077, "umask is 077", "%03o", old);
	report(!getrlimit(RLIMIT_CORE, &rl) && rl.rlim_cur == 0 &&
		       rl.rlim_max == 0,
	       "RLIMIT_CORE is 0", "cur %llu max %llu",
	       (unsigned long long)rl.rlim_cur,
	       (unsigned long long)rl.rlim_max);
	s = socket(AF_PACKET, SOCK_RAW, 0);
	if (p->net_raw)
		report(s >= 0, "CAP_NET_RAW works: AF_PACKET socket", "%s",
		       strerror(errno));
	else
		report(s < 0 && errno == EPERM,
		       "no CAP_NET_RAW: AF_PACKET socket refused", "%d %s", s,
		       strerror(errno));
	if (s >= 0)
		close(s);
	if (!p->mounts)
		return;
	EXPECT_ERRNO("the ro bind cannot be written",
		     open(p->ro_file, O_WRONLY | O_CLOEXEC), EROFS);
	fd = open(p->ro_file, O_RDONLY | O_CLOEXEC);
	report(fd >= 0, "the ro bind can be read", "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "%s/new", p->rw_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	report(fd >= 0, "the rw bind can be written", "%s: %s", path,
	       strerror(errno));
	if (fd >= 0)
		close(fd);
	EXPECT_ERRNO("a file next to the binds is not visible",
		     access(p->hidden, F_OK), ENOENT);
	EXPECT_ERRNO("/etc is not visible", access("/etc/passwd", F_OK),
		     ENOENT);
	EXPECT_ERRNO("/proc is not visible", access("/proc/self", F_OK),
		     ENOENT);
	EXPECT_ERRNO("the jail root is read-only", mkdir("/newdir", 0700),
		     EROFS);
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	report(fd >= 0 && write(fd, "x", 1) == 1, "/dev/null is usable", "%s",
	       strerror(errno));
	if (fd >= 0)
		close(fd);
	/* con1=pts: UML opens /dev/ptmx; its slave is opened by a holder */
	fd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	s = -1;
	if (fd >= 0 && !grantpt(fd) && !unlockpt(fd) &&
	    !ptsname_r(fd, path, sizeof(path)))
		s = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	report(s >= 0, "a pty from the jail's own devpts", "%s",
	       strerror(errno));
	if (s >= 0)
		close(s);
	if (fd >= 0)
		close(fd);
	/* UML's guest memory: an O_TMPFILE in $TMPDIR mapped PROT_EXEC */
	fd = open("/tmp", O_RDWR | O_TMPFILE | O_EXCL | O_CLOEXEC, 0700);
	m = MAP_FAILED;
	if (fd >= 0 && !ftruncate(fd, 1 << 20))
		m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_SHARED, fd, 0);
	report(m != MAP_FAILED, "/tmp holds an exec-mappable memory file", "%s",
	       strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* ---- the parent side ---------------------------------------------------- */

/* the value of "Key:" in /proc/PID/status, tabs squeezed to spaces */
static const char *status_field(pid_t pid, const char *key)
{
	static char val[256];
	char path[64], line[512];
	size_t kl = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	val[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return "(no status)";
	while (fgets(line, sizeof(line), f)) {
		char *v, *o = val;

		if (strncmp(line, key, kl) || line[kl] != ':')
			continue;
		for (v = line + kl + 1; *v == '\t' || *v == ' '; v++)
			;
		for (; *v && *v != '\n' && o < val + sizeof(val) - 1; v++)
			*o++ = *v == '\t' ? ' ' : *v;
		while (o > val && o[-1] == ' ')
			o--;
		*o = '\0';
		break;
	}
	fclose(f);
	return val;
}

/* read result lines until EOF (or "ready" when stop_at_ready) */
static int read_results(FILE *f, const char *prefix, bool stop_at_ready)
{
	char line[600], name[300];

	while (fgets(line, sizeof(line), f)) {
		char *ok = line, *n, *d;

		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, "ready"))
			return 0;
		n = strchr(ok, '|');
		if (!n)
			continue;
		*n++ = '\0';
		d = strchr(n, '|');
		if (!d)
			continue;
		*d++ = '\0';
		snprintf(name, sizeof(name), "%s: %s", prefix, n);
		CHECK(name, !strcmp(ok, "ok"), "%s", d);
	}
	return stop_at_ready ? -1 : 0;
}

struct jcase {
	const char *name;
	uid_t uid;
	bool net_raw;
	bool mounts;
	bool pre_drop; /* become an unprivileged user before jail_enter */
};

static void run_case(const struct jcase *c)
{
	char ro_file[128], rw_dir[128], hidden[128], root[128], name[200];
	struct jail_bind binds[3];
	struct probe p = { 0 };
	int res[2], go[2], kept, unlisted, keep[3], st, ret;
	const char *what;
	FILE *f;
	pid_t pid;
	char c0;

	snprintf(ro_file, sizeof(ro_file), "%s/ro.txt", dir);
	snprintf(rw_dir, sizeof(rw_dir), "%s/rw-%u", dir, (unsigned)c->uid);
	snprintf(hidden, sizeof(hidden), "%s/hidden", dir);
	snprintf(root, sizeof(root), "%s/root-%u", dir, (unsigned)c->uid);
	mkdir(rw_dir, 0700);
	mkdir(root, 0700);
	if (chown(rw_dir, c->uid, c->uid) < 0)
		perror("chown");
	binds[0] = (struct jail_bind){ .src = ro_file, .ro = true };
	binds[1] = (struct jail_bind){ .src = rw_dir, .ro = false };
	binds[2] = (struct jail_bind){ .src = "/dev/null", .ro = false };
	if (pipe2(res, O_CLOEXEC) || pipe2(go, O_CLOEXEC))
		return;
	kept = open("/dev/null", O_RDONLY | O_CLOEXEC);
	unlisted = open("/dev/null", O_RDONLY); /* no CLOEXEC on purpose */
	keep[0] = res[1];
	keep[1] = go[0];
	keep[2] = kept;

	pid = fork();
	if (pid == 0) {
		const char *env[] = { "PATH=/nonexistent", NULL };
		struct jail j = {
			.uid = c->pre_drop ? (uid_t)-1 : c->uid,
			.gid = c->pre_drop ? (gid_t)-1 : c->uid,
			.net_raw = c->net_raw,
			.root = c->mounts ? root : NULL,
			.binds = binds,
			.nbinds = 3,
			.tmp_mb = 4,
			.devpts = true,
			.keep_fds = keep,
			.nkeep = 3,
			.env = env,
			.seccomp = true,
		};

		close(res[0]);
		close(go[1]);
		res_fd = res[1];
		if (c->pre_drop &&
		    (setgroups(0, NULL) || setresgid(c->uid, c->uid, c->uid) ||
		     setresuid(c->uid, c->uid, c->uid))) {
			report(false, "dropping to a user first", "%s",
			       strerror(errno));
			_exit(2);
		}
		ret = jail_enter(&j, &what);
		if (ret) {
			report(false, "jail_enter", "%s: %s", what,
			       strerror(-ret));
			_exit(2);
		}
		if (write(res_fd, "ready\n", 6) != 6 ||
		    read(go[0], &c0, 1) != 1)
			_exit(3);
		p.net_raw = c->net_raw && !c->pre_drop;
		p.mounts = c->mounts;
		p.kept_fd = kept;
		p.unlisted_fd = unlisted;
		strscpy(p.ro_file, ro_file, sizeof(p.ro_file));
		strscpy(p.rw_dir, rw_dir, sizeof(p.rw_dir));
		strscpy(p.hidden, hidden, sizeof(p.hidden));
		child_checks(&p);
		_exit(0);
	}
	close(res[1]);
	close(go[0]);
	close(kept);
	close(unlisted);
	f = fdopen(res[0], "r");
	if (pid < 0 || !f) {
		UNIT_FAIL(c->name, "fork: %s", strerror(errno));
		return;
	}
	if (read_results(f, c->name, true) == 0) {
		char want[64];
		const char *caps =
			c->net_raw && !c->pre_drop ? CAP_NET_RAW_BIT : CAP_NONE;

		snprintf(want, sizeof(want), "%u %u %u %u", (unsigned)c->uid,
			 (unsigned)c->uid, (unsigned)c->uid, (unsigned)c->uid);
#define FIELD(key, w)                                                        \
	do {                                                                 \
		snprintf(name, sizeof(name), "%s: /proc status %s", c->name, \
			 key);                                               \
		CHECK_STR(name, status_field(pid, key), w);                  \
	} while (0)
		FIELD("Uid", want);
		FIELD("Gid", want);
		FIELD("Groups", "");
		FIELD("CapPrm", caps);
		FIELD("CapEff", caps);
		FIELD("CapInh", caps);
		FIELD("CapAmb", caps);
		/* a user without CAP_SETPCAP cannot shrink the bounding set */
		if (!c->pre_drop)
			FIELD("CapBnd", caps);
		FIELD("NoNewPrivs", "1");
		FIELD("Seccomp", "2");
#undef FIELD
		if (write(go[1], "g", 1) != 1)
			perror("write");
		read_results(f, c->name, false);
	}
	fclose(f);
	close(go[1]);
	waitpid(pid, &st, 0);
	snprintf(name, sizeof(name), "%s: child exits 0", c->name);
	CHECK(name, WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
}

/* what an unprivileged caller cannot ask for */
static void unprivileged_refusals(void)
{
	const char *root_fail = NULL, *uid_fail = NULL;
	int st, res[2];
	pid_t pid;

	if (pipe2(res, O_CLOEXEC))
		return;
	pid = fork();
	if (pid == 0) {
		struct jail a = { .uid = (uid_t)-1,
				  .gid = (gid_t)-1,
				  .root = dir };
		struct jail b = { .uid = 12345, .gid = 12345 };
		const char *what;
		int ra, rb;

		if (setresgid(2000000003, 2000000003, 2000000003) ||
		    setresuid(2000000003, 2000000003, 2000000003))
			_exit(2);
		ra = jail_enter(&a, &what);
		root_fail = what;
		rb = jail_enter(&b, &what);
		uid_fail = what;
		dprintf(res[1], "%d|%s|%d|%s", ra, root_fail, rb, uid_fail);
		_exit(0);
	}
	close(res[1]);
	{
		char buf[512] = "";
		ssize_t n = read(res[0], buf, sizeof(buf) - 1);

		buf[n > 0 ? n : 0] = '\0';
		CHECK_STR("unprivileged: root and uid change are refused "
			  "with EPERM",
			  buf,
			  "-1|mount isolation needs CAP_SYS_ADMIN|-1|changing "
			  "uid/gid needs CAP_SETUID and CAP_SETGID");
	}
	close(res[0]);
	waitpid(pid, &st, 0);
}

/* an inner bind's mount point would be made on the host: refused */
static void nested_binds(void)
{
	char inner[128], root[128], buf[256] = "";
	int res[2], st;
	ssize_t n;
	pid_t pid;

	snprintf(inner, sizeof(inner), "%s/ro.txt", dir);
	snprintf(root, sizeof(root), "%s/root-nested", dir);
	mkdir(root, 0700);
	if (pipe2(res, O_CLOEXEC))
		return;
	pid = fork();
	if (pid == 0) {
		struct jail_bind b[2] = { { .src = dir, .ro = true },
					  { .src = inner, .ro = true } };
		struct jail j = { .uid = (uid_t)-1,
				  .gid = (gid_t)-1,
				  .root = root,
				  .binds = b,
				  .nbinds = 2 };
		const char *what = "";
		int ret = jail_enter(&j, &what);

		dprintf(res[1], "%d %s", ret, what);
		_exit(0);
	}
	close(res[1]);
	n = read(res[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(res[0]);
	waitpid(pid, &st, 0);
	CHECK_STR("nested binds are refused", buf,
		  "-22 nested binds (one inside another bound directory)");
}

/*
 * A lab's wire keeper keeps two fds per wire: 300 kept out of 400 open,
 * listed out of order, survive jail_enter and the 100 others are closed
 * (a limit of 64 had made every lab of more than 32 wires fail).
 */
static void many_kept_fds(void)
{
	enum { NOPEN = 400, NKEPT = 300 };
	static int fds[NOPEN], keep[NKEPT];
	int i, n = 0, st, bad = 0;
	pid_t pid;

	for (i = 0; i < NOPEN; i++)
		fds[i] = open("/dev/null", O_RDONLY); /* no CLOEXEC */
	for (i = NOPEN - 1; i >= 0; i--) /* kept: all but every 4th */
		if (i % 4 && n < NKEPT)
			keep[n++] = fds[i];
	pid = fork();
	if (pid == 0) {
		struct jail j = { .uid = (uid_t)-1,
				  .gid = (gid_t)-1,
				  .keep_fds = keep,
				  .nkeep = n };
		const char *what;

		if (jail_enter(&j, &what))
			_exit(100);
		for (i = 0; i < NOPEN; i++) {
			bool open_now = fcntl(fds[i], F_GETFD) >= 0;

			if (open_now != (i % 4 != 0))
				bad++;
		}
		_exit(bad > 99 ? 99 : bad);
	}
	for (i = 0; i < NOPEN; i++)
		close(fds[i]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		UNIT_FAIL("300 kept fds", "fork/wait: %s", strerror(errno));
		return;
	}
	CHECK("300 kept fds survive jail_enter, the rest are closed",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "exit status %d (100: jail_enter failed, else fds wrong)",
	      WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(void)
{
	static const struct jcase cases[] = {
		{ "jail uid 2000000001, no caps, mounts", 2000000001, false,
		  true, false },
		{ "jail uid 2000000002, CAP_NET_RAW, mounts", 2000000002, true,
		  true, false },
		{ "jail uid 2000000006, no mounts", 2000000006, false, false,
		  false },
		{ "jail as a user (uid 2000000007 before)", 2000000007, true,
		  false, true },
	};
	size_t i;
	int fd;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (geteuid() != 0) {
		for (i = 0; i < ARRAY_SIZE(cases); i++)
			UNIT_SKIP(cases[i].name,
				  "needs root (setresuid, mounts)");
		UNIT_SKIP("unprivileged refusals", "needs root to set up");
		UNIT_SKIP("nested binds", "needs root (mount namespace)");
		UNIT_SKIP("300 kept fds", "needs root to set up");
		printf("0 passed, 0 failed, %d skipped\n", unit_skipped);
		return 4;
	}
	snprintf(dir, sizeof(dir), "/tmp/umnet-jail-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	chmod(dir, 0755);
	{
		char path[128];

		/* world-writable: only the read-only bind stops a write */
		snprintf(path, sizeof(path), "%s/ro.txt", dir);
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
		chmod(path, 0666);
		snprintf(path, sizeof(path), "%s/hidden", dir);
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
	}
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	unprivileged_refusals();
	nested_binds();
	many_kept_fds();
	rm_rf(dir);
	UNIT_DONE();
}
