// SPDX-License-Identifier: GPL-2.0
/*
 * A node's cgroup for real: cgroup_create with limits, the record saved and
 * loaded back, a jailed child and grandchild inside it, their memory
 * counted, cgroup_kill, and the directories gone after. Needs root (cgroup
 * directories): skips with the reason otherwise, or when the host gives no
 * cgroup (cgroup_create's reason).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "jail.h"
#include "jail_unit.h"

static char dir[64];

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (f) {
		if (fgets(buf, len, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

static void cgroup_cases(void)
{
	char name[128], path[400], buf[128], cgname[64], *p;
	struct cgroup cg, back;
	struct err e = { "" };
	const char *procs[JAIL_MAX_CGROUPS];
	unsigned long long mem = 0;
	int ready[2], st, ret, i;
	pid_t pid;

	ret = cgroup_create("bad/name", 0, 0, &cg, &e);
	CHECK("cgroup: a bad name is refused",
	      ret == -EINVAL && strstr(e.msg, "bad/name"), "%d %s", ret, e.msg);

	snprintf(cgname, sizeof(cgname), "test-%d", (int)getpid());
	e.msg[0] = '\0';
	ret = cgroup_create(cgname, 64ULL << 20, 100, &cg, &e);
	if (ret == 0 && cg.kind == CGROUP_NONE) {
		UNIT_SKIP("cgroup: create/kill/remove", cg.reason);
		return;
	}
	CHECK("cgroup: created", ret == 0 && cg.kind != CGROUP_NONE,
	      "ret %d kind %s: %s %s", ret, cgroup_kind_name(cg.kind), e.msg,
	      cg.reason);
	if (ret || cg.kind == CGROUP_NONE)
		return;
	printf("    (cgroup %s: %s)\n", cgroup_kind_name(cg.kind),
	       cg.dir[0].path);
	if (cg.kind == CGROUP_V1) {
		snprintf(path, sizeof(path), "%s/memory.limit_in_bytes",
			 cg.dir[0].path);
		read_line(path, buf, sizeof(buf));
		CHECK_STR("cgroup v1: memory.limit_in_bytes written", buf,
			  "67108864");
	} else {
		snprintf(path, sizeof(path), "%s/memory.max", cg.dir[0].path);
		read_line(path, buf, sizeof(buf));
		CHECK_STR("cgroup v2: memory.max written", buf, "67108864");
	}
	for (i = 0; i < cg.ndirs; i++)
		if (!strcmp(cg.dir[i].ctl, "pids") ||
		    !strcmp(cg.dir[i].ctl, "unified")) {
			snprintf(path, sizeof(path), "%s/pids.max",
				 cg.dir[i].path);
			read_line(path, buf, sizeof(buf));
			CHECK_STR("cgroup: pids.max written", buf, "100");
		}

	snprintf(path, sizeof(path), "%s/cgroup.state", dir);
	e.msg[0] = '\0';
	ret = cgroup_save(path, &cg, &e);
	CHECK("cgroup: saved", ret == 0, "%s", e.msg);
	ret = cgroup_load(path, &back, &e);
	CHECK("cgroup: loaded back identical",
	      ret == 0 && back.kind == cg.kind && back.ndirs == cg.ndirs &&
		      !memcmp(back.dir, cg.dir, sizeof(cg.dir)) &&
		      back.mem_max == cg.mem_max,
	      "ret %d: %s", ret, e.msg);

	/* a jailed child and its own child, in the cgroup */
	cgroup_jail_procs(&cg, procs);
	if (pipe2(ready, O_CLOEXEC))
		return;
	pid = fork();
	if (pid == 0) {
		struct jail j = { .uid = 2000000005,
				  .gid = 2000000005,
				  .keep_fds = &ready[1],
				  .nkeep = 1 };
		const char *what;

		memcpy(j.cgroup_procs, procs, sizeof(procs));
		if (jail_enter(&j, &what))
			_exit(2);
		p = malloc(8 << 20);
		if (p)
			memset(p, 1, 8 << 20);
		if (fork() == 0)
			for (;;)
				pause();
		if (write(ready[1], "r", 1) != 1)
			_exit(3);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], buf, 1) != 1)
		buf[0] = 0;
	close(ready[0]);
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	{
		FILE *f = fopen(path, "re");
		char line[400];
		bool found = false;

		snprintf(name, sizeof(name), "/umnet/%s", cgname);
		while (f && fgets(line, sizeof(line), f))
			if (strstr(line, name))
				found = true;
		if (f)
			fclose(f);
		CHECK("cgroup: the jailed child is in it", found,
		      "%s has no %s", path, name);
	}
	snprintf(path, sizeof(path), "%s", cg.dir[0].procs);
	{
		FILE *f = fopen(path, "re");
		int n = 0;

		while (f && fgets(buf, sizeof(buf), f))
			n++;
		if (f)
			fclose(f);
		CHECK_INT("cgroup: child and grandchild in cgroup.procs", n, 2);
	}
	ret = cgroup_memory(&cg, &mem);
	CHECK("cgroup: memory usage reads >= 8 MiB",
	      ret == 0 && mem >= 8ULL << 20, "ret %d, %llu bytes", ret, mem);
	ret = cgroup_kill(&cg);
	CHECK_INT("cgroup: kill and remove", ret, 0);
	waitpid(pid, &st, 0);
	CHECK("cgroup: the child died of SIGKILL",
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status %#x", st);
	for (i = 0; i < cg.ndirs; i++) {
		snprintf(name, sizeof(name), "cgroup: %s directory is gone",
			 cg.dir[i].ctl);
		CHECK(name, access(cg.dir[i].path, F_OK) < 0 && errno == ENOENT,
		      "%s still there", cg.dir[i].path);
	}
	/* gone unless another node (someone else's) still uses it */
	p = strrchr(cg.dir[0].path, '/');
	if (p) {
		*p = '\0';
		CHECK("cgroup: the shared umnet/ parent went with the last node",
		      rmdir(cg.dir[0].path) < 0 &&
			      (errno == ENOENT || errno == EBUSY),
		      "%s still there and empty", cg.dir[0].path);
	}
	/* a tampered record cannot point teardown at another cgroup */
	snprintf(path, sizeof(path), "%s/bad.state", dir);
	{
		FILE *f = fopen(path, "we");

		if (f) {
			fputs("kind v1\ndir memory /sys/fs/cgroup/memory\n", f);
			fclose(f);
		}
	}
	e.msg[0] = '\0';
	ret = cgroup_load(path, &back, &e);
	CHECK("cgroup: a record outside umnet/ is refused",
	      ret == -EINVAL && strstr(e.msg, ":2: not a cgroup record"),
	      "%d %s", ret, e.msg);
}

int main(void)
{
	static const char *const names[] = { "cgroup create/kill/remove",
					     NULL };
	int ret = unit_need_root(names, "needs root (cgroup directories)");

	if (ret)
		return ret;
	setvbuf(stdout, NULL, _IONBF, 0);
	snprintf(dir, sizeof(dir), "/tmp/umnet-cgroup-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	cgroup_cases();
	rm_rf(dir);
	UNIT_DONE();
}
