/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trees in ustar archives (POSIX.1-1988), the part umnet needs to carry a
 * profile's `file =` directories through a Kubernetes ConfigMap, whose
 * keys are flat (docs/scale.md): regular files, directories and symbolic
 * links with their permission bits; no owners, times (0), devices, hard
 * links or names past ustar's 100 + 155 bytes.
 */
#ifndef UMNET_TAR_H
#define UMNET_TAR_H

#include <stddef.h>

#include "util.h"

#define TAR_BLOCK 512
#define TAR_DEPTH_MAX 32 /* directories within a tree */

/*
 * Append to out the entries of the tree src (a directory, or one regular
 * file) under the name as (relative, no "." or ".." component): as/ and
 * what it holds, sorted by name, so that one tree always gives the same
 * bytes. out grows by at most max bytes (the closing blocks of tar_end
 * included): -EFBIG past it. Devices, fifos and sockets are refused. 0 or
 * -errno with e naming the file.
 */
int tar_add(struct strbuf *out, const char *src, const char *as, size_t max,
	    struct err *e);

/* the two zero blocks that end an archive */
void tar_end(struct strbuf *out);

/*
 * Unpack the archive data (len bytes) into the directory dir, which must
 * exist. Names are relative and stay inside dir: an absolute name, a ".."
 * component or a link type other than symbolic is refused, symbolic links
 * are made after every file (no entry is written through one) and
 * directories get their modes last. 0 or -errno with e naming the entry.
 */
int tar_unpack(const void *data, size_t len, const char *dir, struct err *e);

#endif
