// SPDX-License-Identifier: GPL-2.0
/*
 * umnet hostsetup: the host side of a profile, without the node.
 *   --dry-run  print it as ip(8) commands (e.g. for /etc/network/interfaces)
 *   --apply    create it through netlink, journalled to FILE
 *   --remove   remove exactly what --apply recorded in FILE
 * --apply on a host (or inside another umnet node acting as the "real
 * equipment") builds the far end of a node's links: its veth, tap, gretap
 * or l2tp tunnel and session. `umnet up` applies the same plan itself.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "profile.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet hostsetup --dry-run|-n PROFILE\n"
		"       umnet hostsetup --apply [--journal FILE] PROFILE\n"
		"       umnet hostsetup --remove [--journal FILE] PROFILE\n"
		"(the journal defaults to STATE_DIR/hostsetup-NAME.journal)\n");
}

enum mode { NONE, DRY, APPLY, REMOVE };

int hostsetup_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "apply", no_argument, NULL, 'a' },
		{ "remove", no_argument, NULL, 'r' },
		{ "journal", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char journal[PATH_MAX] = "", root[PATH_MAX - 64];
	struct strbuf sb = { 0 };
	struct plan plan = { 0 };
	struct profile *p = NULL;
	const char *path = NULL;
	enum mode mode = NONE;
	struct err e = { "" };
	int ret = 1, c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "nh", opts, NULL)) != -1) {
		enum mode m = NONE;

		switch (c) {
		case 'n':
			m = DRY;
			break;
		case 'a':
			m = APPLY;
			break;
		case 'r':
			m = REMOVE;
			break;
		case 'j':
			if (strscpy(journal, optarg, sizeof(journal))) {
				say_err("--journal %s: path too long", optarg);
				return 2;
			}
			break;
		case 'h':
		default:
			return usage_exit(usage, c);
		}
		/* one mode */
		if (m != NONE && mode != NONE && mode != m)
			return usage_exit(usage, '?');
		if (m != NONE)
			mode = m;
	}
	if (optind != argc - 1 || mode == NONE)
		return usage_exit(usage, '?');
	path = argv[optind];
	p = calloc(1, sizeof(*p));
	if (!p)
		return 1;
	c = profile_parse(path, p, &e);
	if (!c)
		c = profile_plan(p, &plan, &e);
	if (c) {
		say_fail(c, &e);
		goto out;
	}
	if (mode == DRY) {
		sb_printf(&sb, "# host side of %s (%s)\n", p->name, p->path);
		if (!plan.n)
			sb_puts(&sb, "# nothing to create on the host\n");
		plan_print(&plan, &sb);
		fputs(sb_str(&sb), stdout);
		ret = 0;
		goto out;
	}
	if (!journal[0]) {
		if (state_root(root, sizeof(root)) || mkdir_p(root, 0755) ||
		    path_fmt(journal, sizeof(journal),
			     "%s/hostsetup-%s.journal", root, p->name)) {
			say_err("no state directory for the journal: use --journal FILE");
			goto out;
		}
	}
	if (mode == REMOVE) {
		if (access(journal, F_OK)) {
			say_err("%s: no journal at %s: nothing was applied (or it was removed already)",
				p->name, journal);
			goto out;
		}
		c = journal_teardown(journal, &e);
		if (c) {
			say_fail(c, &e);
			goto out;
		}
		unlink(journal);
		printf("%s: host side removed\n", p->name);
		ret = 0;
		goto out;
	}
	if (!access(journal, F_OK)) {
		say_err("%s: %s exists: the host side was applied already ('umnet hostsetup --remove %s' first)",
			p->name, journal, path);
		goto out;
	}
	c = check_privileges(p, &plan, &e);
	if (!c)
		c = plan_apply(&plan, PHASE_PRE_BOOT, journal, &e);
	if (!c)
		c = plan_apply(&plan, PHASE_POST_BOOT, journal, &e);
	if (c) {
		say_fail(c, &e);
		/* undo what was made before the failure */
		if (journal_teardown(journal, &e) == 0)
			unlink(journal);
		goto out;
	}
	printf("%s: host side applied (journal %s)\n", p->name, journal);
	ret = 0;
out:
	sb_free(&sb);
	plan_free(&plan);
	free(p);
	return ret;
}
