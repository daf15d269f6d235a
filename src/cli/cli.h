/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands and what they share. Only the CLI prints. */
#ifndef UMNET_CLI_H
#define UMNET_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"
#include "node.h"
#include "hostplan.h"
#include "nodeup.h"
#include "plan.h"

#define UMNET_VERSION "0.1.0"

int up_main(int argc, char *argv[]);
int down_main(int argc, char *argv[]);
int status_main(int argc, char *argv[]);
int console_main(int argc, char *argv[]);
int exec_main(int argc, char *argv[]);
int mconsole_main(int argc, char *argv[]);
int cmdline_main(int argc, char *argv[]);
int hostsetup_main(int argc, char *argv[]);
int switch_main(int argc, char *argv[]);
int bpf_main(int argc, char *argv[]);
int lab_main(int argc, char *argv[]);
int capture_main(int argc, char *argv[]);
int lab_capture_main(int argc, char *argv[]);
int record_main(int argc, char *argv[]);
int lab_status_main(int argc, char *argv[]);
int lab_graph_main(int argc, char *argv[]);
int lab_test_main(int argc, char *argv[]);
int lab_link_main(int argc, char *argv[]);
int lab_convert_main(int argc, char *argv[]);

/* every message the CLI prints starts "umnet: " */
__attribute__((format(printf, 1, 2))) void warnx_(const char *fmt, ...);
#define say_err(...) warnx_(__VA_ARGS__)

/*
 * A library call failed with ret (-errno) and e: "umnet: MSG", or with
 * say_failf "umnet: PREFIX: MSG". MSG is e->msg, or strerror(-ret) when the
 * call left it empty, so that a bare "umnet: " never appears.
 */
void say_fail(int ret, const struct err *e);
/* that MSG, for messages that are not errors of the CLI (logs, status) */
const char *fail_text(int ret, const struct err *e);
__attribute__((format(printf, 3, 4))) void
say_failf(int ret, const struct err *e, const char *fmt, ...);

/* a command's subcommands, as a table (iproute2's link_util style) */
struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *desc; /* the line of 'umnet help'; NULL below */
};

/*
 * Runs the command of cmds named argv[1] with argv + 1, whose argv[0] is
 * then "PREFIX NAME" (getopt's messages say "umnet lab up: ..."). -h and
 * --help: usage on stdout, 0; no or an unknown command: usage on stderr, 2.
 */
int cli_dispatch(const struct cli_cmd *cmds, size_t n, const char *prefix,
		 void (*usage)(FILE *f), int argc, char *argv[]);

/*
 * Every subcommand reads its options with getopt_long (optind = 0 first:
 * subcommands nest), has one usage(FILE *), and ends its option switch with
 *	case 'h': default: return usage_exit(usage, c);
 * -h/--help: usage on stdout, 0; anything else: usage on stderr, 2.
 */
int usage_exit(void (*usage)(FILE *f), int c);
/*
 * The options of a ring of pcap files (pcapring.h): a size cap,
 * PCAP_RING_SIZE_MIN..max, and a number of files, 1..PCAP_RING_FILES_MAX;
 * record's --size, --files and switch's --mirror-size, --mirror-files
 */
struct ring_opt {
	const char *size_opt, *files_opt;
	unsigned long long max;
	const char *max_text; /* max as the error says it, e.g. "64G" */
	unsigned long long size; /* what was given, 0 if not */
	unsigned long files;
};

/* arg of the files option (files) or the size one: 0; else said why, 2 */
int opt_ring(struct ring_opt *r, bool files, const char *arg);
/*
 * SIGINT and SIGTERM run handler (no SA_RESTART: a blocking call returns
 * EINTR, so the loop sees the flag handler sets)
 */
void cli_on_stop(void (*handler)(int sig));

/*
 * The options of a command that has no more than --help and one flag
 * --NAME (NULL: none), which sets *flag, and min..max operands (max
 * OPERANDS_ANY: no limit). Returns -1 to go on, with the operands from
 * argv[optind]; else the exit code (usage_exit).
 */
#define OPERANDS_ANY 0x7fffffff
int opt_flag(int argc, char *argv[], void (*usage)(FILE *f), const char *name,
	     bool *flag, int min, int max);
/* the same for one option with a value (NAME "o": -o VALUE) into *value */
int opt_value(int argc, char *argv[], void (*usage)(FILE *f), const char *name,
	      const char **value, int min, int max);

/* longest --timeout: a day (its milliseconds fit an int) */
#define TIMEOUT_MAX_S 86400

/* --timeout SECONDS (1..TIMEOUT_MAX_S) into *timeout_s; else says so, -1 */
int opt_timeout(const char *arg, int *timeout_s);

/*
 * NAME [--timeout SECONDS] [--] COMMAND [ARGS...] (umnet exec, mconsole):
 * in order, NAME, then options up to "--" or to the first word of the
 * command, whose own options are left alone. --timeout only with a
 * timeout_s (which keeps its default unless given). Returns -1 to go on,
 * with *name and the command from argv[optind]; else the exit code.
 */
int opt_name_cmd(int argc, char *argv[], void (*usage)(FILE *f),
		 const char **name, int *timeout_s);

/*
 * A numeric option's argument, strictly (parse_uint): the whole string, a
 * decimal number in [min, max]. Else prints, as iproute2 does,
 * 'umnet: Error: argument "8x" is wrong: --jobs takes a whole number 1..64'
 * and returns -1: the caller exits 2 (usage).
 */
int opt_uint(const char *opt, const char *arg, unsigned long min,
	     unsigned long max, unsigned long *out);
/*
 * The same error for any other kind: "... is wrong: OPT" then fmt, e.g.
 * " takes an octal mode, 0000..0777" or ": not a duration ..."; -1.
 */
__attribute__((format(printf, 3, 4))) int
opt_bad(const char *opt, const char *arg, const char *fmt, ...);

struct switch_status;
/* a switch's ports and counters, as `umnet switch status` prints them */
void switch_print_text(const struct switch_status *st, const char *path);

/* resolve NAME to its state, failing with a message when it does not exist */
int node_lookup(const char *name, struct node_paths *np, bool need_running);

#endif
