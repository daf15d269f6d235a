// SPDX-License-Identifier: GPL-2.0
/*
 * umnet down NAME...|--all: stop nodes and remove everything they created;
 * --all takes every lab down too (umnet lab down).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "labrun.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: umnet down NAME...\n"
		   "       umnet down --all\n");
}

static int down_one(const char *name)
{
	struct node_paths np;
	struct err e = { "" };
	int ret;

	if (node_lookup(name, &np, false)) {
		/* what an up killed before it made the node may have left */
		if (!node_paths(name, &np))
			name_lock_drop_stale("node", name, np.dir);
		return 1;
	}
	ret = node_down(&np, &e);
	if (ret) {
		say_failf(ret, &e, "%s", name);
		return 1;
	}
	printf("%s: down\n", name);
	return 0;
}

int down_main(int argc, char *argv[])
{
	node_name_t *names = NULL;
	lab_name_t *labs = NULL;
	bool all = false;
	int i, n,
		ret = opt_flag(argc, argv, usage, "all", &all, 0, OPERANDS_ANY);

	if (ret >= 0)
		return ret;
	ret = 0;
	if (all == (optind < argc)) /* NAME... or --all, one of them */
		return usage_exit(usage, '?');
	if (!all) {
		for (i = optind; i < argc; i++)
			ret |= down_one(argv[i]);
		return ret;
	}
	/* labs first: their keepers, switches and namespaces too */
	n = lab_list(&labs);
	if (n < 0) {
		say_failf(n, NULL, "listing labs");
		ret = 1;
	}
	for (i = 0; i < n; i++) {
		struct err e = { "" };
		int r = lab_down(labs[i], &e);

		if (r) {
			say_failf(r, &e, "lab %s", labs[i]);
			ret = 1;
		} else {
			printf("lab %s: down\n", labs[i]);
		}
	}
	free(labs);
	n = node_list(&names);
	if (n < 0) {
		say_failf(n, NULL, "listing nodes");
		return 1;
	}
	for (i = 0; i < n; i++)
		ret |= down_one(names[i]);
	free(names);
	return ret;
}
