/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the netstack unit tests run (test_netstack.c, test_netstack_netns.c).
 *
 * Needs root. The checks run in a forked child that first moves into a
 * private network namespace (and a private mount namespace, so no mount is
 * ever visible on the host); named namespaces (ns1, ns2) get a random
 * suffix, and the parent removes their /run/netns files whatever happened
 * to the child.
 */
#ifndef UMNET_NETSTACK_UNIT_H
#define UMNET_NETSTACK_UNIT_H

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/wait.h>

#include "netstack.h"
#include "unit.h"

static char ns1[32], ns2[32];

static int netstack_unit_child(void (*cases)(struct nl *nl))
{
	struct nl *nl = NULL;
	int ret;

	if (unshare(CLONE_NEWNET | CLONE_NEWNS)) {
		printf("SKIP: unshare: %s\n", strerror(errno));
		return 4;
	}
	/* keep our mounts (/run/netns, namespace binds) off the host */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		printf("SKIP: private mounts: %s\n", strerror(errno));
		return 4;
	}

	ret = nl_open(&nl, NULL);
	CHECK_INT("nl_open", ret, 0);
	if (ret)
		goto cleanup;
	cases(nl);
cleanup:
	nl_close(nl);
	if (netns_exists(ns1))
		netns_del(ns1);
	if (netns_exists(ns2))
		netns_del(ns2);
	UNIT_DONE();
}

/* main(): run cases with an rtnetlink handle in a private netns */
static int netstack_unit_main(void (*cases)(struct nl *nl))
{
	uint32_t r[2] = { 0 };
	pid_t pid;
	int status, ret;

	if (geteuid() != 0) {
		printf("SKIP: needs root\n");
		return 4;
	}
	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		r[0] = getpid(), r[1] = time(NULL);
	snprintf(ns1, sizeof(ns1), "umnet-test-%08x", r[0]);
	snprintf(ns2, sizeof(ns2), "umnet-test-%08x", r[1] ^ 0x5a5a5a5a);

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		/* never outlive the parent that cleans up, never hang */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		alarm(120);
		ret = netstack_unit_child(cases);
		fflush(stdout);
		exit(ret);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;

	/* whatever happened in there, leave no named namespace behind */
	ret = 0;
	if (netns_exists(ns1) && netns_del(ns1))
		ret = 1;
	if (netns_exists(ns2) && netns_del(ns2))
		ret = 1;
	if (ret)
		printf("FAIL: could not remove %s/%s or %s\n", NETNS_RUN_DIR,
		       ns1, ns2);
	if (WIFSIGNALED(status)) {
		printf("FAIL: test process killed by signal %d\n",
		       WTERMSIG(status));
		return 1;
	}
	return ret ? 1 : WEXITSTATUS(status);
}

#endif
