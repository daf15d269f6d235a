// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the subcommands. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"
#include "pcapring.h"
#include "supervisor.h"
#include "transport.h"

static void vsay(const char *fmt, va_list ap, const char *tail)
{
	fputs("umnet: ", stderr);
	if (fmt)
		vfprintf(stderr, fmt, ap);
	if (fmt && tail)
		fputs(": ", stderr);
	if (tail)
		fputs(tail, stderr);
	fputc('\n', stderr);
}

void warnx_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap, NULL);
	va_end(ap);
}

/* what a failed call says: its message, else its errno's text */
const char *fail_text(int ret, const struct err *e)
{
	if (e && e->msg[0])
		return e->msg;
	if (ret < 0)
		return strerror(-ret);
	return "failed (no reason given)";
}

void say_fail(int ret, const struct err *e)
{
	fprintf(stderr, "umnet: %s\n", fail_text(ret, e));
}

void say_failf(int ret, const struct err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap, fail_text(ret, e));
	va_end(ap);
}

int opt_bad(const char *opt, const char *arg, const char *fmt, ...)
{
	char shown[64], what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	say_err("Error: argument \"%s\" is wrong: %s%s",
		str_escape(arg, shown, sizeof(shown)), opt, what);
	return -1;
}

int opt_uint(const char *opt, const char *arg, unsigned long min,
	     unsigned long max, unsigned long *out)
{
	if (!parse_uint(arg, min, max, out))
		return 0;
	return opt_bad(opt, arg, " takes a whole number %lu..%lu", min, max);
}

int usage_exit(void (*usage)(FILE *f), int c)
{
	if (c == 'h') {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}

/* opt_flag and opt_value: NAME of one letter is a short option */
static int opt_one(int argc, char *argv[], void (*usage)(FILE *f),
		   const char *name, bool *flag, const char **value, int min,
		   int max)
{
	bool is_short = name && name[0] && !name[1];
	struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ is_short ? NULL : name,
		  value ? required_argument : no_argument, NULL, 1 },
		{ NULL, 0, NULL, 0 },
	};
	char shorts[4] = "h";
	int c;

	if (is_short) {
		shorts[1] = name[0];
		shorts[2] = value ? ':' : '\0';
	}
	optind = 0;
	while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (!name || (c != 1 && !(is_short && c == name[0])))
			return usage_exit(usage, c);
		if (value)
			*value = optarg;
		else
			*flag = true;
	}
	if (argc - optind < min || argc - optind > max)
		return usage_exit(usage, '?');
	return -1;
}

int opt_flag(int argc, char *argv[], void (*usage)(FILE *f), const char *name,
	     bool *flag, int min, int max)
{
	return opt_one(argc, argv, usage, name, flag, NULL, min, max);
}

int opt_value(int argc, char *argv[], void (*usage)(FILE *f), const char *name,
	      const char **value, int min, int max)
{
	return opt_one(argc, argv, usage, name, NULL, value, min, max);
}

int opt_timeout(const char *arg, int *timeout_s)
{
	unsigned long v;

	if (opt_uint("--timeout", arg, 1, TIMEOUT_MAX_S, &v))
		return -1;
	*timeout_s = (int)v;
	return 0;
}

int opt_name_cmd(int argc, char *argv[], void (*usage)(FILE *f),
		 const char **name, int *timeout_s)
{
	const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ timeout_s ? "timeout" : NULL, required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	int c, cmd = 0;

	/*
	 * In order ("-"): NAME, then options up to "--" or to the first word
	 * of the command; the command's own options are left alone.
	 */
	*name = NULL;
	optind = 0;
	while (!cmd && (c = getopt_long(argc, argv, timeout_s ? "-t:h" : "-h",
					opts, NULL)) != -1) {
		switch (c) {
		case 1:
			if (*name)
				cmd = optind -
				      1; /* the command, without "--" */
			else
				*name = optarg;
			break;
		case 't':
			if (opt_timeout(optarg, timeout_s))
				return 2;
			break;
		case 'h':
		default:
			return usage_exit(usage, c);
		}
	}
	if (cmd)
		optind = cmd;
	if (!*name || optind >= argc)
		return usage_exit(usage, '?');
	return -1;
}

int cli_dispatch(const struct cli_cmd *cmds, size_t n, const char *prefix,
		 void (*usage)(FILE *f), int argc, char *argv[])
{
	/* nested dispatches share it: an outer argv[1] is not read again */
	static char prog[64];
	const char *sub = prefix;
	size_t i;

	if (argc < 2)
		return usage_exit(usage, '?');
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return usage_exit(usage, 'h');
	for (i = 0; i < n; i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		snprintf(prog, sizeof(prog), "%s %s", prefix, cmds[i].name);
		argv[1] = prog;
		return cmds[i].fn(argc - 1, argv + 1);
	}
	if (!strncmp(sub, "umnet", 5)) /* "umnet: unknown command 'lab x'" */
		sub += strspn(sub + 5, " ") + 5;
	say_err("unknown command '%s%s%s'", sub, *sub ? " " : "", argv[1]);
	return usage_exit(usage, '?');
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

void cli_on_stop(void (*handler)(int sig))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int opt_ring(struct ring_opt *r, bool files, const char *arg)
{
	if (files &&
	    opt_uint(r->files_opt, arg, 1, PCAP_RING_FILES_MAX, &r->files))
		return 2;
	if (files || !parse_bytes(arg, PCAP_RING_SIZE_MIN, r->max, &r->size))
		return 0;
	opt_bad(r->size_opt, arg, " takes a size %dK..%s (e.g. 8M)",
		PCAP_RING_SIZE_MIN / 1024, r->max_text);
	return 2;
}
