// SPDX-License-Identifier: GPL-2.0
/*
 * The node journal (src/plan.c): a line that does not parse is an error
 * naming file:line and is never acted on; a name that would not parse back
 * is never written. Only names that exist nowhere are used, so nothing on
 * the host is touched.
 */
#include <errno.h>
#include <unistd.h>

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
	rmdir(dir);
	UNIT_DONE();
}
