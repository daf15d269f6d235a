/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The config drive: a small read-only ext2 image (ubd1) holding node.conf
 * (format: rootfs/nodeconf.h) and the files it names, built with mke2fs -d
 * from a staging directory: no root privileges, no loop mounts.
 */
#ifndef UMNET_DRIVE_H
#define UMNET_DRIVE_H

#include "model.h"
#include "util.h"

/*
 * The most words after a node.conf keyword the node takes (route: its
 * NODECONF_MAX_ARGS, which test_nodeconf checks is the same).
 */
#define NODECONF_LINE_MAX_WORDS 64

/*
 * node.conf text for a profile. When srclines is not NULL, srclines[N] is
 * set to the profile line that node.conf line N came from (0: none), for N
 * up to max-1, so a failure the node reports can name the profile's line.
 */
int drive_nodeconf(const struct profile *p, struct strbuf *sb, int *srclines,
		   int max);
/* "file:line: key = value" of the profile line behind node.conf line N */
int drive_explain(const struct profile *p, int nodeconf_line, char *out,
		  size_t len);
/* stage node.conf and files in stage_dir, make the image at img */
int drive_build(const struct profile *p, const char *stage_dir, const char *img,
		struct err *e);

#endif
