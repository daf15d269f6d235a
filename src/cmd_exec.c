// SPDX-License-Identifier: GPL-2.0
/*
 * umnet exec NAME [--timeout S] -- CMD...: run CMD inside the node through
 * its exec agent (tty2); relay stdout and stderr; exit with CMD's status.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "agent.h"
#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet exec NAME [--timeout SECONDS] -- COMMAND [ARGS...]\n");
}

int exec_main(int argc, char *argv[])
{
	struct node_paths np;
	char pts[64];
	int i = 1, timeout_s = 60, status = 0, lockfd = -1, ret;

	if (argc >= 2 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 3) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[i++];
	while (i < argc && strcmp(argv[i], "--")) {
		if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			timeout_s = atoi(argv[i + 1]);
			i += 2;
			continue;
		}
		break;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc || timeout_s <= 0) {
		usage(stderr);
		return 2;
	}
	if (node_lookup(name, &np, true))
		return 1;
	ret = node_pts(&np, 2, pts, sizeof(pts));
	if (ret) {
		say_err("%s: cannot find the exec agent's console (mconsole config con2): %s",
			name, strerror(-ret));
		return 1;
	}
	/* one exec at a time per node: they share the agent's tty */
	lockfd = open(np.lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0) {
		say_err("%s: %s", np.lock, strerror(errno));
		ret = 1;
		goto out;
	}
	fflush(stdout);
	ret = agent_exec(pts, argv + i, 1, 2, timeout_s * 1000, &status);
	if (ret == -ETIMEDOUT) {
		say_err("%s: '%s' did not finish within %d s and was killed",
			name, argv[i], timeout_s);
		ret = 124;
		goto out;
	}
	if (ret) {
		say_err("%s: exec through %s: %s", name, pts, strerror(-ret));
		ret = 1;
		goto out;
	}
	ret = status;
out:
	if (lockfd >= 0)
		close(lockfd);
	return ret;
}
