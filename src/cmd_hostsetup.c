// SPDX-License-Identifier: GPL-2.0
/*
 * umnet hostsetup PROFILE --dry-run: the host side of a profile as ip(8)
 * commands, e.g. to paste into /etc/network/interfaces. `umnet up` applies
 * the same plan itself, through netlink.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "profile.h"

int hostsetup_main(int argc, char *argv[])
{
	struct strbuf sb = { 0 };
	struct plan plan = { 0 };
	struct profile *p = NULL;
	const char *path = NULL;
	bool dry = false;
	struct err e;
	int i, ret = 1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run") || !strcmp(argv[i], "-n"))
			dry = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("Usage: umnet hostsetup --dry-run PROFILE\n");
			return 0;
		} else if (!path && argv[i][0] != '-')
			path = argv[i];
		else
			path = NULL, i = argc;
	}
	if (!path) {
		fprintf(stderr, "Usage: umnet hostsetup --dry-run PROFILE\n");
		return 2;
	}
	if (!dry) {
		say_err("hostsetup only prints the plan (--dry-run); 'umnet up %s' creates the host side and records it for 'umnet down'",
			path);
		return 2;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return 1;
	if (profile_parse(path, p, &e) || profile_plan(p, &plan, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	sb_printf(&sb, "# host side of %s (%s)\n", p->name, p->path);
	if (!plan.n)
		sb_puts(&sb,
			"# nothing to create on the host\n");
	plan_print(&plan, &sb);
	fputs(sb_str(&sb), stdout);
	ret = 0;
out:
	sb_free(&sb);
	plan_free(&plan);
	free(p);
	return ret;
}
