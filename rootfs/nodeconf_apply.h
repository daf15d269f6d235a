/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Node side of node.conf (see nodeconf.h for the format): parsing and
 * applying its lines inside the node, for init (rootfs/init.c). Commands run
 * with a fixed environment; their output goes to the console and the most
 * telling line of it becomes the failure message reported to the host.
 */
#ifndef UMNET_NODECONF_APPLY_H
#define UMNET_NODECONF_APPLY_H

#include <stddef.h>
#include <sys/types.h>

#define NODE_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define NODE_IP "/sbin/ip"
#define NODE_NFT "/usr/sbin/nft"
#define NODE_SH "/bin/sh"

/* the environment of every program init starts */
extern char *const node_env[];

/* print "umnet-init: <message>\n" on stdout (the console) in one write */
void node_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Split line in place into at most max words separated by runs of spaces or
 * tabs (a trailing newline is dropped); words[count] is set to NULL, so
 * words needs max + 1 slots. Returns the count, or -E2BIG.
 */
int nodeconf_split(char *line, char **words, int max);

/*
 * Apply one node.conf line (modified in place). Blank and '#' lines do
 * nothing. Returns 0, or -1 with a one-line reason in msg.
 */
int nodeconf_apply_line(char *line, char *msg, size_t len);
/*
 * Parse one line as nodeconf_apply_line does, without doing anything: the
 * same checks of keyword and arguments, the same -1 and msg.
 */
int nodeconf_check_line(char *line, char *msg, size_t len);

/*
 * Apply every line of the file at path in order, stopping at the first
 * failure. Returns 0, or -1 with *lineno (0 when the file cannot be read) and
 * msg set. *count receives the number of lines applied.
 */
int nodeconf_apply_file(const char *path, int *lineno, int *count, char *msg,
			size_t len);

/*
 * Run argv[0] (a full path) with node_env and stdin from /dev/null, copy its
 * stdout and stderr to the console, and wait for it. Returns 0 when it
 * exited 0, else -1 with a reason in msg: the first line of its stderr that
 * mentions an error, else the last one, else how it ended.
 */
int node_run(char *const argv[], char *msg, size_t len);

/*
 * init reaped pid with wait status: log it when it was a node.conf daemon.
 * Returns 1 when pid was a daemon, else 0.
 */
int nodeconf_reaped(pid_t pid, int status);

#endif
