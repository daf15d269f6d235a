// SPDX-License-Identifier: GPL-2.0
/*
 * umnet mconsole NAME CMD...: one UML management console command (version,
 * help, halt, reboot, config, remove, sysrq, cad, stop, go, proc, stack, log).
 * Prints UML's reply; exit 0 when UML reported success, 1 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mconsole.h"

int mconsole_main(int argc, char *argv[])
{
	struct strbuf cmd = { 0 };
	struct node_paths np;
	char *reply = NULL, *p;
	int i, ret;

	if (argc >= 2 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: umnet mconsole NAME COMMAND [ARGS...]\n");
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr,
			"Usage: umnet mconsole NAME COMMAND [ARGS...]\n");
		return 2;
	}
	if (node_lookup(argv[1], &np, true))
		return 1;
	for (i = 2; i < argc; i++)
		sb_printf(&cmd, "%s%s", i > 2 ? " " : "", argv[i]);
	ret = mconsole_cmd(np.mconsole, sb_str(&cmd), 10000, &reply);
	if (ret < 0) {
		if (ret == -E2BIG)
			say_err("%s: command too long for mconsole (at most %d bytes)",
				argv[1], MCONSOLE_MAX_DATA - 1);
		else if (ret == -EMSGSIZE)
			say_err("%s: the reply is longer than %d bytes: not shown (read big files with 'umnet exec %s -- cat FILE')",
				argv[1], MCONSOLE_MAX_REPLY, argv[1]);
		else
			say_err("%s: mconsole %s: %s", argv[1], np.mconsole,
				strerror(-ret));
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
