// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the subcommands. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"
#include "supervisor.h"
#include "transport.h"

void warnx_(const char *fmt, ...)
{
	va_list ap;

	fputs("umnet: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int opt_uint(const char *opt, const char *arg, unsigned long min,
	     unsigned long max, unsigned long *out)
{
	char shown[64];

	if (!parse_uint(arg, min, max, out))
		return 0;
	say_err("Error: argument \"%s\" is wrong: %s takes a whole number %lu..%lu",
		str_escape(arg, shown, sizeof(shown)), opt, min, max);
	return -1;
}

/* "LAB [OPT VALUE]" in any order; 2 when it is not that */
int lab_and_option(int argc, char *argv[], const char *opt, const char **value,
		   const char **arg)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], opt) && i + 1 < argc)
			*value = argv[++i];
		else if (!*arg && argv[i][0] != '-')
			*arg = argv[i];
		else
			break;
	}
	return i < argc || !*arg ? 2 : 0;
}

int node_lookup(const char *arg, struct node_paths *np, bool need_running)
{
	char name[NODE_NAME_MAX + 2];
	char *slash;
	int ret;

	/* LAB/NODE is the lab's node LAB.NODE */
	strscpy(name, arg, sizeof(name));
	slash = strchr(name, '/');
	if (slash && !strchr(slash + 1, '/'))
		*slash = '.';
	ret = node_paths(name, np);
	if (ret == -EINVAL) {
		say_err("'%s' is not a valid node name", name);
		return ret;
	}
	if (ret) {
		say_err("%s: %s", name, strerror(-ret));
		return ret;
	}
	if (access(np->dir, F_OK)) {
		say_err("no node named %s (see 'umnet status')", name);
		return -ENOENT;
	}
	if (need_running && !node_running(np, NULL)) {
		say_err("%s is not running (its UML process is gone): 'umnet down %s' cleans up",
			name, name);
		return -ESRCH;
	}
	return 0;
}
