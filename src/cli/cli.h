/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands and what they share. Only the CLI prints. */
#ifndef UMNET_CLI_H
#define UMNET_CLI_H

#include <stdbool.h>

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
int lab_status_main(int argc, char *argv[]);
int lab_graph_main(int argc, char *argv[]);
int lab_test_main(int argc, char *argv[]);
int lab_link_impair_main(int argc, char *argv[]);
int lab_convert_main(int argc, char *argv[]);
int lab_and_option(int argc, char *argv[], const char *opt, const char **value,
		   const char **arg);

__attribute__((format(printf, 1, 2))) void warnx_(const char *fmt, ...);
#define say_err(...) warnx_(__VA_ARGS__)

/* longest --timeout: a day (its milliseconds fit an int) */
#define TIMEOUT_MAX_S 86400

/*
 * A numeric option's argument, strictly (parse_uint): the whole string, a
 * decimal number in [min, max]. Else prints, as iproute2 does,
 * 'umnet: Error: argument "8x" is wrong: --jobs takes a whole number 1..64'
 * and returns -1: the caller exits 2 (usage).
 */
int opt_uint(const char *opt, const char *arg, unsigned long min,
	     unsigned long max, unsigned long *out);

struct switch_status;
/* a switch's ports and counters, as `umnet switch status` prints them */
void switch_print_text(const struct switch_status *st, const char *path);

/* resolve NAME to its state, failing with a message when it does not exist */
int node_lookup(const char *name, struct node_paths *np, bool need_running);

#endif
