/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside node.conf: what its parts share. nodeconf.c parses the lines
 * (the keyword table), nodeconf_spawn.c runs programs and daemons,
 * nodeconf_rtnl.c talks rtnetlink for link and addr, nodeconf_files.c
 * writes files (file, resolv).
 */
#ifndef UMNET_NODECONF_PRIV_H
#define UMNET_NODECONF_PRIV_H

#include <stddef.h>

#include "nodeconf_apply.h"

static inline int nodeconf_is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* drop trailing whitespace and line ends */
void nodeconf_trim_end(char *s);

/* start /bin/sh -c 'exec CMD' in its own session; 0 or -1 with msg */
int node_spawn_daemon(const char *cmd, char *msg, size_t len);

/* NAME on the config drive into a->path; -1 with msg when it is bad */
int nodeconf_drive_path(struct nodeconf_action *a, const char *name, char *msg,
			size_t len);

/* file DRIVEFILE /DEST, resolv ADDR... (nodeconf_files.c) */
int nodeconf_file_parse(char *rest, struct nodeconf_action *a, char *msg,
			size_t len);
int nodeconf_file_apply(struct nodeconf_action *a, char *msg, size_t len);
int nodeconf_resolv_parse(char *rest, struct nodeconf_action *a, char *msg,
			  size_t len);
int nodeconf_resolv_apply(struct nodeconf_action *a, char *msg, size_t len);

/* link and addr over rtnetlink: 0, or -1 with the kernel's reason in msg */
int nodeconf_rtnl_link(struct nodeconf_action *a, char *msg, size_t len);
int nodeconf_rtnl_addr(struct nodeconf_action *a, char *msg, size_t len);

#endif
