// SPDX-License-Identifier: GPL-2.0
/*
 * netstack: named namespaces (netns_add, netns_run, nl_open and tap_add in
 * one, links moved between namespaces). Needs root: the cases run as
 * netstack_unit.h runs them, in a private network and mount namespace.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netstack_unit.h"

/* is NETNS_RUN_DIR a shared mount point (like iproute2 makes it)? */
static bool run_dir_shared(void)
{
	char line[4096], mnt[PATH_MAX];
	bool shared = false;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		if (!strcmp(mnt, NETNS_RUN_DIR))
			shared = strstr(line, " shared:") != NULL;
	}
	fclose(f);
	return shared;
}

static unsigned long self_netns_ino(void)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st))
		return 0;
	return st.st_ino;
}

static int in_ns1(void *arg)
{
	struct nl *nl = NULL;
	int ret = 42;

	(void)arg;
	if (nl_open(&nl, NULL))
		return -1000;
	if (!link_exists(nl, "nst1") || link_exists(nl, "nst0"))
		ret = -1001;
	nl_close(nl);
	return ret;
}

static void test_netns(struct nl *nl)
{
	struct nl *nl1 = NULL, *back = NULL;
	unsigned long ino;
	int fd, ret;

	/* a veth pair to move between namespaces (test_netstack.c tests it) */
	CHECK_INT("veth add", link_add_veth(nl, "nst0", "nst1"), 0);
	CHECK_INT("netns add", netns_add(ns1), 0);
	CHECK("netns exists", netns_exists(ns1), "missing");
	CHECK("netns run dir is a shared mount", run_dir_shared(),
	      "%s not shared in mountinfo", NETNS_RUN_DIR);
	CHECK_INT("netns add duplicate", netns_add(ns1), -EEXIST);
	CHECK_INT("netns add bad name", netns_add("a/b"), -EINVAL);
	CHECK_INT("netns add ..", netns_add(".."), -EINVAL);
	CHECK("netns_exists of a missing one", !netns_exists(ns2), "exists");
	fd = netns_open(ns1);
	CHECK("netns_open", fd >= 0, "got %d", fd);
	if (fd >= 0)
		close(fd);
	CHECK_INT("netns_open missing", netns_open(ns2), -ENOENT);
	CHECK_INT("nl_open in a missing netns", nl_open(&nl1, ns2), -ENOENT);
	CHECK("nl_open failure leaves NULL", nl1 == NULL, "not NULL");

	CHECK_INT("nl_open in netns", nl_open(&nl1, ns1), 0);
	if (!nl1)
		return;
	CHECK("new netns has only lo",
	      link_exists(nl1, "lo") && !link_exists(nl1, "nst0"),
	      "unexpected links");

	CHECK_INT("link_set_netns", link_set_netns(nl, "nst1", ns1), 0);
	CHECK("moved link gone here", !link_exists(nl, "nst1"), "still here");
	CHECK("moved link there", link_exists(nl1, "nst1"), "not there");
	CHECK_INT("link_set_netns into a missing netns",
		  link_set_netns(nl, "nst0", ns2), -ENOENT);
	CHECK_INT("link_set_netns back to the caller's netns (NULL)",
		  link_set_netns(nl1, "nst1", NULL), 0);
	CHECK("moved back",
	      link_exists(nl, "nst1") && !link_exists(nl1, "nst1"),
	      "not moved back");
	CHECK_INT("link_set_netns again", link_set_netns(nl, "nst1", ns1), 0);
	CHECK_INT("link up inside the netns", link_set_up(nl1, "nst1", true),
		  0);

	ino = self_netns_ino();
	ret = netns_run(ns1, in_ns1, NULL);
	CHECK_INT("netns_run runs fn inside", ret, 42);
	CHECK("netns_run switched back", self_netns_ino() == ino,
	      "thread netns changed");
	CHECK_INT("netns_run missing", netns_run(ns2, in_ns1, NULL), -ENOENT);

	/* taps land in the handle's netns, not the caller's */
	CHECK_INT("tap add via netns handle", tap_add(nl1, "nstap0", 0, 0), 0);
	CHECK("tap in the handle's netns",
	      link_exists(nl1, "nstap0") && !link_exists(nl, "nstap0"),
	      "there %d, here %d", link_exists(nl1, "nstap0"),
	      link_exists(nl, "nstap0"));
	CHECK("tap_add switched back", self_netns_ino() == ino,
	      "thread netns changed");
	CHECK_INT("tap del via netns handle", link_del(nl1, "nstap0"), 0);
	CHECK("tap gone", !link_exists(nl1, "nstap0"), "still there");

	/* deleting one end of a veth removes its peer in the other netns */
	CHECK_INT("veth del", link_del(nl, "nst0"), 0);
	CHECK("veth del: both ends gone",
	      !link_exists(nl, "nst0") && !link_exists(nl1, "nst1"),
	      "an end survived");
	CHECK_INT("veth del again", link_del(nl, "nst0"), -ENODEV);
	nl_close(nl1);

	CHECK_INT("netns del", netns_del(ns1), 0);
	CHECK("netns gone", !netns_exists(ns1), "still exists");
	CHECK_INT("netns del again", netns_del(ns1), -ENOENT);
	CHECK_INT("nl_open in a deleted netns", nl_open(&back, ns1), -ENOENT);
	nl_close(back);
}

int main(void)
{
	return netstack_unit_main(test_netns);
}
