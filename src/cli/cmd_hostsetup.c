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
		"Usage: umnet hostsetup --dry-run PROFILE\n"
		"       umnet hostsetup --apply [--journal FILE] PROFILE\n"
		"       umnet hostsetup --remove [--journal FILE] PROFILE\n"
		"(the journal defaults to STATE_DIR/hostsetup-NAME.journal)\n");
}

enum mode { NONE, DRY, APPLY, REMOVE };

int hostsetup_main(int argc, char *argv[])
{
	char journal[PATH_MAX] = "", root[PATH_MAX - 64];
	struct strbuf sb = { 0 };
	struct plan plan = { 0 };
	struct profile *p = NULL;
	const char *path = NULL;
	enum mode mode = NONE;
	struct err e = { "" };
	int i, ret = 1;

	for (i = 1; i < argc; i++) {
		enum mode m = NONE;

		if (!strcmp(argv[i], "--dry-run") || !strcmp(argv[i], "-n"))
			m = DRY;
		else if (!strcmp(argv[i], "--apply"))
			m = APPLY;
		else if (!strcmp(argv[i], "--remove"))
			m = REMOVE;
		else if (!strcmp(argv[i], "--journal") && i + 1 < argc)
			strscpy(journal, argv[++i], sizeof(journal));
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!path && argv[i][0] != '-')
			path = argv[i];
		else {
			usage(stderr);
			return 2;
		}
		if (m != NONE) {
			if (mode != NONE && mode != m) {
				usage(stderr);
				return 2;
			}
			mode = m;
		}
	}
	if (!path || mode == NONE) {
		usage(stderr);
		return 2;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return 1;
	if (profile_parse(path, p, &e) || profile_plan(p, &plan, &e)) {
		say_err("%s", e.msg);
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
		if (state_root(root, sizeof(root)) || mkdir_p(root, 0755)) {
			say_err("no state directory for the journal: use --journal FILE");
			goto out;
		}
		snprintf(journal, sizeof(journal), "%s/hostsetup-%s.journal",
			 root, p->name);
	}
	if (mode == REMOVE) {
		if (access(journal, F_OK)) {
			say_err("%s: no journal at %s: nothing was applied (or it was removed already)",
				p->name, journal);
			goto out;
		}
		if (journal_teardown(journal, &e)) {
			say_err("%s", e.msg);
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
	if (check_privileges(p, &plan, &e) ||
	    plan_apply(&plan, PHASE_PRE_BOOT, journal, &e) ||
	    plan_apply(&plan, PHASE_POST_BOOT, journal, &e)) {
		say_err("%s", e.msg);
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
