// SPDX-License-Identifier: GPL-2.0
/*
 * jailrun: run one program under jail_enter, by hand, to learn what it needs
 * (tests/manual/jail-uml.sh boots the UML kernel with it). Not installed.
 *
 *   jailrun [-u UID] [-r ROOT] [-b SRC] [-B SRC] [-t TMP_MB] [-n] [-S] [-p]
 *           [-c NAME:MEM_MB] [-C DIR] [-e VAR=VALUE]... -- PROGRAM ARGS...
 *
 * -b/-B bind SRC read-write/read-only, -n keeps CAP_NET_RAW, -S no seccomp,
 * -p a private devpts (/dev/pts, /dev/ptmx), -c runs it in a new cgroup NAME limited to MEM_MB and prints the peak
 * memory at the end, -C chdir inside the jail before exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "jail.h"

static void peak(const struct cgroup *cg)
{
	char path[400], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", cg->dir[0].path,
		 cg->kind == CGROUP_V2 ? "memory.peak"
				       : "memory.max_usage_in_bytes");
	f = fopen(path, "re");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	fprintf(stderr, "jailrun: cgroup %s peak memory %llu KiB\n",
		cg->dir[0].path, strtoull(buf, NULL, 10) / 1024);
}

int main(int argc, char *argv[])
{
	struct jail_bind binds[32];
	const char *env[JAIL_MAX_ENV + 1], *cdir = NULL, *what;
	struct jail j = { .uid = (uid_t)-1, .gid = (gid_t)-1, .seccomp = true };
	struct cgroup cg = { .kind = CGROUP_NONE };
	struct err e = { "" };
	int nenv = 0, c, st, pfd[2], ret;
	char *cgname = NULL, msg[300];
	unsigned long long mem = 0;
	ssize_t n;
	pid_t pid;

	while ((c = getopt(argc, argv, "u:r:b:B:t:nSc:C:e:p")) != -1) {
		switch (c) {
		case 'u':
			j.uid = j.gid = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			j.root = optarg;
			break;
		case 'b':
		case 'B':
			if (j.nbinds == 32)
				return 2;
			binds[j.nbinds].src = optarg;
			binds[j.nbinds++].ro = c == 'B';
			break;
		case 't':
			j.tmp_mb = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			j.devpts = true;
			break;
		case 'n':
			j.net_raw = true;
			break;
		case 'S':
			j.seccomp = false;
			break;
		case 'c':
			cgname = optarg;
			break;
		case 'C':
			cdir = optarg;
			break;
		case 'e':
			if (nenv == JAIL_MAX_ENV)
				return 2;
			env[nenv++] = optarg;
			break;
		default:
			fprintf(stderr,
				"see the comment in tests/manual/jailrun.c\n");
			return 2;
		}
	}
	if (optind >= argc)
		return 2;
	env[nenv] = NULL;
	j.env = env;
	j.binds = binds;
	if (cgname) {
		char *colon = strchr(cgname, ':');

		if (colon) {
			*colon = '\0';
			mem = strtoull(colon + 1, NULL, 10) << 20;
		}
		if (cgroup_create(cgname, mem, 0, &cg, &e)) {
			fprintf(stderr, "jailrun: %s\n", e.msg);
			return 1;
		}
		if (cg.kind == CGROUP_NONE)
			fprintf(stderr, "jailrun: no cgroup: %s\n", cg.reason);
		cgroup_jail_procs(&cg, j.cgroup_procs);
	}
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return 1;
	j.keep_fds = &pfd[1];
	j.nkeep = 1;
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		ret = jail_enter(&j, &what);
		if (!ret && cdir && chdir(cdir) < 0) {
			ret = -errno;
			what = "chdir";
		}
		if (!ret) {
			ret = jail_exec(&j, argv + optind);
			what = "execve";
		}
		dprintf(pfd[1], "%s: %s", what, strerror(-ret));
		_exit(126);
	}
	close(pfd[1]);
	n = read(pfd[0], msg, sizeof(msg) - 1);
	if (n > 0) {
		msg[n] = '\0';
		fprintf(stderr, "jailrun: %s\n", msg);
	}
	waitpid(pid, &st, 0);
	if (cg.kind != CGROUP_NONE) {
		peak(&cg);
		cgroup_kill(&cg);
	}
	if (WIFSIGNALED(st))
		fprintf(stderr, "jailrun: killed by signal %d\n", WTERMSIG(st));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
