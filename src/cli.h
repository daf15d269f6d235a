/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands and what they share. Only the CLI prints. */
#ifndef UMNET_CLI_H
#define UMNET_CLI_H

#include <stdbool.h>

#include "model.h"
#include "node.h"
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

__attribute__((format(printf, 1, 2))) void warnx_(const char *fmt, ...);
#define say_err(...) warnx_(__VA_ARGS__)

struct switch_status;
/* a switch's ports and counters, as `umnet switch status` prints them */
void switch_print_text(const struct switch_status *st, const char *path);

/* the host plan of every interface of a profile */
int profile_plan(const struct profile *p, struct plan *plan, struct err *e);
/* privileges the profile needs (NEED_* bits) and whether we have them */
unsigned int profile_needs(const struct profile *p, const struct plan *plan);
int check_privileges(const struct profile *p, const struct plan *plan,
		     struct err *e);

/* resolve NAME to its state, failing with a message when it does not exist */
int node_lookup(const char *name, struct node_paths *np, bool need_running);

/* tear a node down completely: UML, host objects, state dir */
int node_teardown(const struct node_paths *np, struct err *e);
/* the same under the node's lock (name_lock): for down, lab down, restart */
int node_down(const struct node_paths *np, struct err *e);

#endif
