/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Node side of node.conf (see nodeconf.h for the format): parsing and
 * applying its lines inside the node, for init (rootfs/init.c). Commands run
 * with a fixed environment; their output goes to the console and the most
 * telling line of it becomes the failure message reported to the host.
 */
#ifndef UMNET_NODECONF_APPLY_H
#define UMNET_NODECONF_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define NODE_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define NODE_IP "/sbin/ip"
#define NODE_NFT "/usr/sbin/nft"
#define NODE_SH "/bin/sh"

/* the environment of every program init starts */
extern char *const node_env[];

/*
 * The error idiom of the node side: fill msg (%m is the errno at the call)
 * and return -1, so that a failing path reads
 *	return nodeconf_err(msg, len, "usage: nft FILE");
 */
__attribute__((format(printf, 3, 4))) int nodeconf_err(char *msg, size_t len,
						       const char *fmt, ...);

/* print "umnet-init: <message>\n" on stdout (the console) in one write */
void node_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Split line in place into at most max words separated by runs of spaces or
 * tabs (a trailing newline is dropped); words[count] is set to NULL, so
 * words needs max + 1 slots. Returns the count, or -E2BIG.
 */
int nodeconf_split(char *line, char **words, int max);

/* limits of a node.conf line */
#define NODECONF_MAX_ARGS 64 /* words after the keyword (route) */
#define NODECONF_PATH_MAX 512 /* a path built from a line */
#define NODECONF_WHAT_MAX 128 /* "addr eth0 10.0.0.1/24": the error prefix */
#define NODECONF_MAC_LEN 6

struct nodeconf_action;

/* a keyword: parse its arguments into an action, then apply the action */
struct nodeconf_keyword {
	char *name;
	int (*parse)(char *rest, struct nodeconf_action *a, char *msg,
		     size_t len);
	int (*apply)(struct nodeconf_action *a, char *msg, size_t len);
};

/*
 * One parsed line: what applying it will do. The strings point into the
 * line, which must outlive the action.
 */
struct nodeconf_action {
	const struct nodeconf_keyword *kw; /* NULL: a blank or '#' line */
	char what[NODECONF_WHAT_MAX]; /* link, addr: what errors start with */
	/* hostname NAME, sysctl KEY, link and addr IFNAME, file DEST */
	char *name;
	/* sysctl VALUE, link NEWNAME (NULL: kept), daemon CMD */
	char *value;
	/* file: the source on the drive; sysctl: the file under /proc/sys */
	char path[NODECONF_PATH_MAX];
	/* route, nft, run: the program to run (a full path) and its args */
	char *argv[NODECONF_MAX_ARGS + 5];
	char *words[NODECONF_MAX_ARGS + 1];
	/* link */
	bool set_mac, set_mtu;
	unsigned char mac[NODECONF_MAC_LEN];
	unsigned int mtu;
	/* addr */
	int family, prefixlen;
	unsigned char addr[16];
};

/*
 * Parse one node.conf line (modified in place) into a: the checks of
 * keyword and arguments, nothing done. Returns 0 (a->kw NULL for a blank or
 * '#' line), or -1 with a one-line reason in msg.
 */
int nodeconf_parse_line(char *line, struct nodeconf_action *a, char *msg,
			size_t len);
/* do what a parsed line says: 0, or -1 with a one-line reason in msg */
int nodeconf_apply(struct nodeconf_action *a, char *msg, size_t len);

/* parse and apply one line: 0, or -1 with a reason in msg */
int nodeconf_apply_line(char *line, char *msg, size_t len);
/* nodeconf_parse_line without keeping the action */
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
