// SPDX-License-Identifier: GPL-2.0
/*
 * umnet mconsole NAME CMD...: one UML management console command (version,
 * help, halt, reboot, config, remove, sysrq, cad, stop, go, proc, stack, log).
 * Prints UML's reply; exit 0 when UML reported success, 1 otherwise.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mconsole.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: umnet mconsole NAME COMMAND [ARGS...]\n");
}

int mconsole_main(int argc, char *argv[])
{
	struct strbuf cmd = { 0 };
	struct node_paths np;
	char *reply = NULL, *p;
	const char *name;
	int i, ret, c;

	ret = opt_name_cmd(argc, argv, usage, &name, NULL);
	if (ret >= 0)
		return ret;
	i = optind;
	if (node_lookup(name, &np, true))
		return 1;
	for (c = i; c < argc; c++)
		sb_printf(&cmd, "%s%s", c > i ? " " : "", argv[c]);
	ret = mconsole_cmd(np.mconsole, sb_str(&cmd), 10000, &reply);
	if (ret < 0) {
		if (ret == -E2BIG)
			say_err("%s: command too long for mconsole (at most %d bytes)",
				name, MCONSOLE_MAX_DATA - 1);
		else if (ret == -EMSGSIZE)
			say_err("%s: the reply is longer than %d bytes: not shown (read big files with 'umnet exec %s -- cat FILE')",
				name, MCONSOLE_MAX_REPLY, name);
		else
			say_failf(ret, NULL, "%s: mconsole %s", name,
				  np.mconsole);
		ret = 1;
		goto out;
	}
	/* UML starts `proc` replies with a newline of its own */
	p = reply[0] == '\n' ? reply + 1 : reply;
	if (p[0]) {
		fputs(p, ret ? stderr : stdout);
		if (p[strlen(p) - 1] != '\n')
			fputc('\n', ret ? stderr : stdout);
	}
out:
	free(reply);
	sb_free(&cmd);
	return ret ? 1 : 0;
}
