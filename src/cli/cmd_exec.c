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
	int i = 1, timeout_s = 60, status = 0, ret;
	unsigned long v;

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
			if (opt_uint("--timeout", argv[i + 1], 1, TIMEOUT_MAX_S,
				     &v))
				return 2;
			timeout_s = v;
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
	fflush(stdout);
	ret = node_exec(&np, argv + i, 1, 2, timeout_s * 1000, &status);
	if (ret == -ETIMEDOUT) {
		say_err("%s: '%s' did not finish within %d s and was killed",
			name, argv[i], timeout_s);
		return 124;
	}
	if (ret) {
		say_err("%s: exec through its agent (tty2): %s", name,
			strerror(-ret));
		return 1;
	}
	return status;
}
