// SPDX-License-Identifier: GPL-2.0
/*
 * jail_exec after jail_enter: exactly the jail's environment reaches the
 * program, and after execve under a new uid exactly CAP_NET_RAW stays (as
 * an ambient capability), under seccomp. Needs root (setresuid): every
 * case skips with the reason otherwise.
 */
#include <fcntl.h>
#include <unistd.h>
#include <sys/wait.h>

#include "jail.h"
#include "jail_unit.h"

#define CAP_NET_RAW_BIT "0000000000002000"

/*
 * Run argv in jail j in a child: its stdout (all of it, up to len - 1
 * bytes) into buf, its wait status into *st. -1 when it could not start.
 */
static int run_jailed(const struct jail *j, char *const argv[], char *buf,
		      size_t len, int *st)
{
	size_t got = 0;
	int out[2];
	ssize_t n;
	pid_t pid;

	buf[0] = '\0';
	if (pipe2(out, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		const char *what;

		dup2(out[1], 1);
		if (jail_enter(j, &what))
			_exit(2);
		jail_exec(j, argv);
		_exit(127);
	}
	close(out[1]);
	while (pid > 0 && got < len - 1 &&
	       (n = read(out[0], buf + got, len - 1 - got)) > 0)
		got += n;
	buf[got] = '\0';
	close(out[0]);
	if (pid < 0 || waitpid(pid, st, 0) < 0)
		return -1;
	return 0;
}

/* jail_exec: exactly the given environment reaches the program */
static void exec_env(void)
{
	const char *env[] = { "A=1", "PATH=/usr/bin:/bin", NULL };
	char *argv[] = { "/usr/bin/env", NULL };
	struct jail j = { .uid = 2000000004,
			  .gid = 2000000004,
			  .env = env,
			  .seccomp = true };
	char buf[256];
	int st = 0;

	if (run_jailed(&j, argv, buf, sizeof(buf), &st)) {
		UNIT_FAIL("jail_exec: env", "could not start: %m");
		return;
	}
	CHECK_STR("jail_exec: env is exactly the jail's", buf,
		  "A=1\nPATH=/usr/bin:/bin\n");
	CHECK_INT("jail_exec: the program runs under seccomp and exits 0",
		  WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + st, 0);
}

/* after execve under a new uid, exactly CAP_NET_RAW stays (ambient) */
static void exec_caps(void)
{
	char *argv[] = { "/bin/cat", "/proc/self/status", NULL };
	struct jail j = { .uid = 2000000008,
			  .gid = 2000000008,
			  .net_raw = true,
			  .seccomp = true };
	char buf[4096], *p;
	int st = 0;

	if (run_jailed(&j, argv, buf, sizeof(buf), &st)) {
		UNIT_FAIL("exec with net_raw", "could not start: %m");
		return;
	}
	for (p = buf; *p; p++)
		if (*p == '\t')
			*p = ' ';
	CHECK("exec with net_raw: CapEff is CAP_NET_RAW after execve",
	      strstr(buf, "CapEff: " CAP_NET_RAW_BIT "\n"), "%s", buf);
	CHECK("exec with net_raw: CapAmb is CAP_NET_RAW after execve",
	      strstr(buf, "CapAmb: " CAP_NET_RAW_BIT "\n"), "%s", buf);
	CHECK("exec with net_raw: CapBnd is CAP_NET_RAW after execve",
	      strstr(buf, "CapBnd: " CAP_NET_RAW_BIT "\n"), "%s", buf);
	CHECK("exec with net_raw: Seccomp 2, NoNewPrivs 1 after execve",
	      strstr(buf, "Seccomp: 2\n") && strstr(buf, "NoNewPrivs: 1\n"),
	      "%s", buf);
}

int main(void)
{
	static const char *const names[] = { "jail_exec env",
					     "exec with net_raw", NULL };
	int ret = unit_need_root(names, "needs root (setresuid)");

	if (ret)
		return ret;
	setvbuf(stdout, NULL, _IONBF, 0);
	exec_env();
	exec_caps();
	UNIT_DONE();
}
