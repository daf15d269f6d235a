// SPDX-License-Identifier: GPL-2.0
/* umnet up PROFILE: parse the profile and bring the node up (nodeup.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nodeup.h"
#include "profile.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet up [--timeout SECONDS] [--name NAME] PROFILE\n");
}

int up_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct up_result res = { 0 };
	struct profile *p = NULL;
	struct err e = { "" };
	int timeout_s = 30, ret = 1, c;
	char *name = NULL;

	optind = 0;
	while ((c = getopt_long(argc, argv, "t:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (opt_timeout(optarg, &timeout_s))
				return 2;
			break;
		case 'n':
			name = optarg;
			break;
		case 'h':
		default:
			return usage_exit(usage, c);
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		say_err("out of memory");
		return 1;
	}
	ret = profile_parse(argv[optind], p, &e);
	if (ret) {
		say_fail(ret, &e);
		ret = 1;
		goto out;
	}
	if (name) {
		if (!node_name_valid(name)) {
			say_err("--name %s: not a valid node name", name);
			goto out;
		}
		strscpy(p->name, name, sizeof(p->name));
	}
	ret = node_up(p, timeout_s, &res, &e);
	if (ret) {
		say_fail(ret, &e);
		if (res.console.len)
			fprintf(stderr, "last lines of the console:\n%s\n",
				sb_str(&res.console));
		ret = 1;
		goto out;
	}
	printf("%s: ready in %lld ms (boot %lld ms), pid %d\n", p->name,
	       res.total_ms, res.boot_ms, (int)res.pid);
	ret = 0;
out:
	sb_free(&res.console);
	free(p);
	return ret;
}
