// SPDX-License-Identifier: GPL-2.0
/*
 * The node journal (src/plan.c): a line that does not parse is an error
 * naming file:line and is never acted on; a name that would not parse back
 * is never written; what plan_apply writes parses back to what it made, and
 * journal_teardown removes it. Only names that exist nowhere are used, and
 * the round trip runs in private namespaces, so nothing on the host is
 * touched.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "plan.h"
#include "unit.h"

static char dir[] = "/tmp/umnet-journal.XXXXXX";
static char path[64];

static int teardown(const char *text, struct err *e)
{
	write_file(path, text, strlen(text), 0600);
	e->msg[0] = '\0';
	return journal_teardown(path, e);
}

static void bad(const char *name, const char *text, const char *want)
{
	struct err e;
	int ret = teardown(text, &e);

	CHECK(name, ret == -EINVAL && strstr(e.msg, want), "ret %d: %s", ret,
	      e.msg);
}

/* journal_parse, then the line written back from what it gave */
static void parse_back(const char *line)
{
	static const char *const kinds[] = { "netns", "link", "l2tp", "nft",
					     "ipfwd" };
	char copy[256], back[256], name[128];
	struct jline j;
	int ret;

	snprintf(copy, sizeof(copy), "%s", line);
	snprintf(name, sizeof(name), "parses back: %s", line);
	ret = journal_parse(copy, &j);
	if (ret) {
		UNIT_FAIL(name, "ret %d", ret);
		return;
	}
	if (j.kind == J_NETNS)
		snprintf(back, sizeof(back), "netns %s", j.ns);
	else if (j.kind == J_LINK)
		snprintf(back, sizeof(back), "link %s %s", j.ns ? j.ns : "-",
			 j.obj);
	else if (j.kind == J_NFT)
		snprintf(back, sizeof(back), "nft %s %s", j.ns ? j.ns : "-",
			 j.obj);
	else
		snprintf(back, sizeof(back), "%s %s %lu",
			 j.kind == J_L2TP ? "l2tp" : "ipfwd", j.ns ? j.ns : "-",
			 j.id);
	CHECK(name,
	      !strcmp(back, line) && j.kind < ARRAY_SIZE(kinds) &&
		      !strncmp(line, kinds[j.kind], strlen(kinds[j.kind])),
	      "got \"%s\"", back);
}

static void test_parse_back(void)
{
	char name[NETNS_NAME_MAX + 2], line[NETNS_NAME_MAX + 16];

	parse_back("netns umnet-nx-q");
	parse_back("link - umnxq0");
	parse_back("link umnet-nx-q umnxq0.100");
	parse_back("l2tp - 1");
	parse_back("l2tp umnet-nx-q 4294967295");
	parse_back("nft - umnet-lab1");
	parse_back("nft host-x1 umnet-lab1");
	parse_back("ipfwd - 0");
	parse_back("ipfwd host-x1 1");
	bad("ipfwd is 0 or 1", "ipfwd - 2\n", "/journal:1: not a journal line");
	bad("an nft table name with a slash", "nft - umnet/x\n",
	    "/journal:1: not a journal line");
	/* the longest names, and one byte more */
	memset(name, 'n', sizeof(name));
	name[NETNS_NAME_MAX - 1] = '\0';
	snprintf(line, sizeof(line), "netns %s", name);
	parse_back(line);
	snprintf(line, sizeof(line), "link %s umnxq0", name);
	parse_back(line);
	name[IFNAMSIZ - 1] = '\0';
	snprintf(line, sizeof(line), "link - %s", name);
	parse_back(line);
	name[IFNAMSIZ - 1] = 'n';
	name[IFNAMSIZ] = '\0';
	snprintf(line, sizeof(line), "link - %s\n", name);
	bad("an interface name of IFNAMSIZ bytes", line,
	    "/journal:1: not a journal line");
	name[IFNAMSIZ] = 'n';
	name[NETNS_NAME_MAX - 1] = 'n';
	name[NETNS_NAME_MAX] = '\0';
	snprintf(line, sizeof(line), "netns %s\n", name);
	bad("a namespace name of NETNS_NAME_MAX bytes", line,
	    "/journal:1: not a journal line");
}

/*
 * The real writer: plan_apply journals a namespace, a veth pair inside it,
 * one on the host and its move into the namespace, in a private network
 * and mount namespace (with its own /run/netns and state dir); the journal
 * must read back line for line, and journal_teardown must remove exactly
 * that.
 */
static int round_trip(void)
{
	char ns[32], a_if[IFNAMSIZ], b_if[IFNAMSIZ], b_peer[IFNAMSIZ];
	char want[256], users[160], *data = NULL, *line, *save = NULL;
	struct plan plan = { 0 };
	struct action act = { 0 };
	struct nl *nl = NULL;
	struct err e = { "" };
	unsigned int r[2];
	int ret, n = 0, failed = unit_failed;
	size_t len = 0;

	if (unshare(CLONE_NEWNET | CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    (mkdir(NETNS_RUN_DIR, 0755) && errno != EEXIST) ||
	    mount("tmpfs", NETNS_RUN_DIR, "tmpfs", 0, "mode=0755")) {
		printf("SKIP: round trip: private namespaces: %m\n");
		return 4;
	}
	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		r[0] = getpid(), r[1] = time(NULL);
	snprintf(ns, sizeof(ns), "umnet-jt-%08x", r[0]);
	snprintf(a_if, sizeof(a_if), "umnj%08xa", r[1]);
	snprintf(b_if, sizeof(b_if), "umnj%08xb", r[1]);
	snprintf(b_peer, sizeof(b_peer), "umnj%08xc", r[1]);
	setenv("UMNET_STATE_DIR", dir, 1);
	unlink(path);

	act.phase = PHASE_PRE_BOOT;
	strcpy(act.owner, "test");
	act.kind = ACT_NETNS_ADD;
	strcpy(act.netns, ns);
	plan_add(&plan, &act);
	act.kind = ACT_VETH_ADD;
	strcpy(act.ifname, a_if);
	strcpy(act.peer, "umnjpeer0");
	plan_add(&plan, &act);
	act.netns[0] = '\0';
	strcpy(act.ifname, b_if);
	strcpy(act.peer, b_peer);
	plan_add(&plan, &act);
	act.kind = ACT_LINK_NETNS;
	strcpy(act.target, ns);
	plan_add(&plan, &act);
	ret = plan_apply(&plan, PHASE_PRE_BOOT, path, &e);
	CHECK("round trip: plan_apply", ret == 0, "ret %d: %s", ret, e.msg);
	plan_free(&plan);

	snprintf(want, sizeof(want),
		 "netns %s\nlink %s %s\nlink - %s\nlink %s %s\n", ns, ns, a_if,
		 b_if, ns, b_if);
	ret = read_file(path, &data, &len);
	CHECK_STR("round trip: the journal holds one line an object",
		  ret ? "" : data, want);
	for (line = ret ? NULL : strtok_r(data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++)
		parse_back(line);
	CHECK_INT("round trip: every line parsed back", n, 4);
	free(data);

	snprintf(users, sizeof(users), "%s/.netns/%s", dir, ns);
	CHECK("round trip: the namespace has a users file",
	      access(users, F_OK) == 0, "%s: %m", users);
	e.msg[0] = '\0';
	ret = journal_teardown(path, &e);
	CHECK("round trip: journal_teardown", ret == 0, "ret %d: %s", ret,
	      e.msg);
	CHECK("round trip: the namespace is gone", !netns_exists(ns),
	      "%s is left", ns);
	CHECK("round trip: its users file is gone", access(users, F_OK) < 0,
	      "%s is left", users);
	ret = nl_open(&nl, NULL);
	CHECK("round trip: the host's pair is gone",
	      !ret && !link_exists(nl, b_if) && !link_exists(nl, b_peer),
	      "ret %d", ret);
	nl_close(nl);
	unlink(path);
	/* the users directory is gone when empty; the lock files stay */
	snprintf(users, sizeof(users), "%s/.netns", dir);
	CHECK("round trip: the users directory is gone",
	      access(users, F_OK) < 0, "%s is left", users);
	snprintf(users, sizeof(users), "%s/.locks", dir);
	rm_rf(users);
	return unit_failed > failed ? 1 : 0;
}

/*
 * the round trip in a child, so that its namespaces go with it; its
 * counts come back through a pipe and are added to ours
 */
static void test_round_trip(void)
{
	int status, fds[2], counts[2] = { 0, 0 }, before[2];
	pid_t pid;

	if (geteuid() != 0) {
		printf("SKIP: round trip: needs root\n");
		return;
	}
	if (pipe(fds) < 0) {
		UNIT_FAIL("round trip: pipe", "%m");
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		UNIT_FAIL("round trip: fork", "%m");
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		alarm(60);
		before[0] = unit_passed;
		before[1] = unit_failed;
		status = round_trip();
		counts[0] = unit_passed - before[0];
		counts[1] = unit_failed - before[1];
		fflush(stdout);
		if (write(fds[1], counts, sizeof(counts)) != sizeof(counts))
			status = 1;
		_exit(status);
	}
	close(fds[1]);
	if (read(fds[0], counts, sizeof(counts)) == sizeof(counts)) {
		unit_passed += counts[0];
		unit_failed += counts[1];
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	CHECK("round trip: the child passed",
	      WIFEXITED(status) &&
		      (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 4),
	      "wait status 0x%x", status);
}

int main(void)
{
	struct plan plan = { 0 };
	struct action a = { 0 };
	struct err e;
	char *data = NULL;
	size_t len = 0;
	int ret;

	if (!mkdtemp(dir)) {
		CHECK("scratch dir", 0, "%m");
		UNIT_DONE();
	}
	snprintf(path, sizeof(path), "%s/journal", dir);

	bad("a name with a space", "netns a b\n",
	    "/journal:1: not a journal line (\"netns a b\")");
	bad("a link line with an extra field", "link - umnxq0 extra\n",
	    "/journal:1: not a journal line");
	bad("a tab in an interface name", "link - umn\tq0\n",
	    "/journal:1: not a journal line (\"link - umn\\tq0\")");
	bad("a namespace starting with '-'", "netns -n\n",
	    "/journal:1: not a journal line");
	bad("two spaces", "link  - umnxq0\n", "/journal:1: not a journal line");
	bad("l2tp tunnel 0", "l2tp - 0\n", "/journal:1: not a journal line");
	bad("l2tp tunnel past 32 bits", "l2tp - 4294967296\n",
	    "/journal:1: not a journal line");
	bad("an unknown kind", "route - x\n", "/journal:1: not a journal line");
	bad("an empty line", "\n", "/journal:1: not a journal line");
	bad("the line number counts every line",
	    "link - umnxq0a\nlink - umn xq\nlink - umnxq0b\n",
	    "/journal:2: not a journal line");
	ret = teardown("link - umnxq0a\nnetns umnet-nx-q", &e);
	CHECK("an unfinished last line (a failed append) is skipped", ret == 0,
	      "ret %d: %s", ret, e.msg);
	ret = teardown("link - umnxq0a\nlink umnet-nx-q umnxq0b\n"
		       "l2tp - 4294967295\nl2tp umnet-nx-q 7\n"
		       "netns umnet-nx-q\n",
		       &e);
	CHECK("objects that are gone already are fine", ret == 0, "ret %d: %s",
	      ret, e.msg);

	/* writing: a name that would not read back is refused, not written */
	unlink(path);
	a.kind = ACT_NETNS_ADD;
	a.phase = PHASE_PRE_BOOT;
	strcpy(a.netns, "umnet nx");
	strcpy(a.owner, "t vec0");
	plan_add(&plan, &a);
	ret = plan_apply(&plan, PHASE_PRE_BOOT, path, &e);
	CHECK("plan_apply refuses to journal \"umnet nx\"", ret == -EINVAL,
	      "ret %d: %s", ret, e.msg);
	CHECK("  and wrote nothing",
	      read_file(path, &data, &len) == -ENOENT || len == 0, "%zu bytes",
	      len);
	free(data);
	plan_free(&plan);
	unlink(path);

	test_parse_back();
	test_round_trip();
	rmdir(dir);
	UNIT_DONE();
}
