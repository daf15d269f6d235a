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

/* node.conf text for a profile */
int drive_nodeconf(const struct profile *p, struct strbuf *sb);
/* stage node.conf and files in stage_dir, make the image at img */
int drive_build(const struct profile *p, const char *stage_dir,
		const char *img, struct err *e);

#endif
