// SPDX-License-Identifier: GPL-2.0
/*
 * umnet down NAME...|--all: stop nodes and remove everything they created;
 * --all takes every lab down too (umnet lab down).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "labrun.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: umnet down NAME... | umnet down --all\n");
}

static int down_one(const char *name)
{
	struct node_paths np;
	struct err e = { "" };

	if (node_lookup(name, &np, false))
		return 1;
	if (node_down(&np, &e)) {
		say_err("%s: %s", name, e.msg);
		return 1;
	}
	printf("%s: down\n", name);
	return 0;
}

int down_main(int argc, char *argv[])
{
	node_name_t *names = NULL;
	static char labs[64][LAB_NAME_MAX + 1];
	int i, n, ret = 0;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--all")) {
		if (argc != 2) {
			usage(stderr);
			return 2;
		}
		/* labs first: their keepers, switches and namespaces too */
		n = lab_list(labs, ARRAY_SIZE(labs));
		for (i = 0; i < n; i++) {
			struct err e = { "" };

			if (lab_down(labs[i], &e)) {
				say_err("lab %s: %s", labs[i], e.msg);
				ret = 1;
			} else {
				printf("lab %s: down\n", labs[i]);
			}
		}
		n = node_list(&names);
		if (n < 0) {
			say_err("listing nodes: %s", strerror(-n));
			return 1;
		}
		for (i = 0; i < n; i++)
			ret |= down_one(names[i]);
		free(names);
		return ret;
	}
	for (i = 1; i < argc; i++)
		ret |= down_one(argv[i]);
	return ret;
}
