// SPDX-License-Identifier: GPL-2.0
/*
 * --host NAME for umnet lab up|down|status|test|restart|repair: which
 * host's share of a lab across hosts a command handles (labrun_hosts.c
 * decides and checks; this file reads the option and prints).
 */
#include <string.h>

#include "cli.h"
#include "cmd_lab_host.h"
#include "labrun.h"

int lab_host_opt(int *argc, char *argv[], const char **host)
{
	int i, j, take;

	for (i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strncmp(argv[i], "--host=", 7)) {
			*host = argv[i] + 7;
			take = 1;
		} else if (!strcmp(argv[i], "--host")) {
			if (i + 1 >= *argc) {
				say_err("--host needs a host name (a [host NAME] of the lab)");
				return 2;
			}
			*host = argv[i + 1];
			take = 2;
		} else {
			continue;
		}
		if (!**host) {
			say_err("--host needs a host name (a [host NAME] of the lab)");
			return 2;
		}
		for (j = i; j + take <= *argc; j++)
			argv[j] = argv[j + take];
		*argc -= take;
		i--;
	}
	return 0;
}

int lab_host_use(struct lab *lab, const char *host, bool need)
{
	struct err e = { "" };
	int ret = lab_host_pick(lab, host, need, &e);

	if (!ret)
		ret = lab_host_enter(lab, &e);
	if (ret) {
		say_fail(ret, &e);
		return 1;
	}
	return 0;
}

int lab_host_mask_check(const struct lab *lab, const bool *mask)
{
	int i;

	for (i = 0; mask && i < lab->nnodes; i++)
		if (mask[i] && !lab_node_here(lab, i)) {
			say_err("lab %s: node %s runs on host %s, and this is host %s's share: run this there (--host %s)",
				lab->name, lab->nodes[i].name,
				lab->hosts[lab->nodes[i].host].name,
				lab->hosts[lab->here].name,
				lab->hosts[lab->nodes[i].host].name);
			return 1;
		}
	return 0;
}
