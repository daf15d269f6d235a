// SPDX-License-Identifier: GPL-2.0
/*
 * umnet exec NAME [--timeout S] [--] CMD...: run CMD inside the node through
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
		"Usage: umnet exec NAME [--timeout SECONDS] [--] COMMAND [ARGS...]\n");
}

int exec_main(int argc, char *argv[])
{
	struct node_paths np;
	const char *name;
	int timeout_s = 60, status = 0, ret, i;

	ret = opt_name_cmd(argc, argv, usage, &name, &timeout_s);
	if (ret >= 0)
		return ret;
	i = optind;
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
		say_failf(ret, NULL, "%s: exec through its agent (tty2)", name);
		return 1;
	}
	return status;
}
