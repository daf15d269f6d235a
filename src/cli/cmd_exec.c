// SPDX-License-Identifier: GPL-2.0
/*
 * umnet exec NAME [--timeout S] [--] CMD...: run CMD inside the node through
 * its exec agent (tty2); relay stdout and stderr; exit with CMD's status.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct node_paths np;
	const char *name = NULL;
	int timeout_s = 60, status = 0, ret, c, i = 0;
	unsigned long v;

	/*
	 * In order ("-"): NAME, then options up to "--" or to the first word
	 * of the command; the command's own options are left alone.
	 */
	optind = 0;
	while (!i && (c = getopt_long(argc, argv, "-t:h", opts, NULL)) != -1) {
		switch (c) {
		case 1:
			if (name)
				i = optind - 1; /* the command, without "--" */
			else
				name = optarg;
			break;
		case 't':
			if (opt_uint("--timeout", optarg, 1, TIMEOUT_MAX_S, &v))
				return 2;
			timeout_s = v;
			break;
		case 'h':
		default:
			return usage_exit(usage, c);
		}
	}
	if (!i)
		i = optind;
	if (!name || i >= argc)
		return usage_exit(usage, '?');
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
