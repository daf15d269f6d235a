/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UML copy-on-write (COW) files (arch/um/drivers/cow_user.c). A COW file
 * starts with a header naming its backing file and the backing file's mtime
 * and size when the COW was made; UML refuses to boot when they no longer
 * match. We check first so the user gets a clear reason.
 */
#ifndef UMNET_COW_H
#define UMNET_COW_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define COW_MAGIC 0x4f4f4f4d /* "OOOM" */

struct cow_info {
	uint32_t version; /* 1, 2 or 3 */
	char backing[4097];
	uint32_t mtime;
	uint64_t size;
	uint32_t sectorsize;
	uint32_t alignment; /* v3 only, else 0 */
	uint32_t cow_format; /* v3 only, else 0 */
};

/*
 * Read the header of the COW file at path. Returns 0, -ENOENT, -EINVAL when
 * the file is not a COW file (bad magic, unknown version, short), or -errno.
 * Handles both byte orders as UML does.
 */
int cow_read(const char *path, struct cow_info *ci);
/* the same for a header already read: the first n bytes of a COW file */
int cow_parse(const void *buf, size_t n, struct cow_info *ci);

/*
 * Check that ci still matches backing_path (same file by realpath, same size,
 * same mtime). Returns 0 when it does; -ESTALE when it does not, with a one-
 * line reason in why (e.g. "backing file /x/base.img changed: mtime
 * 2026-11-23 10:00:01 in the COW header, 2026-11-23 11:02:17 now"); -errno
 * when backing_path cannot be examined.
 */
int cow_check(const struct cow_info *ci, const char *backing_path, char *why,
	      size_t len);

/*
 * Create an empty COW file over backing, as UML itself would (header v3,
 * sectors of COW_SECTOR bytes, data aligned to COW_ALIGN). umnet makes a
 * node's persistent disk this way when it does not exist, so that the
 * jailed node only needs to write the file, not its directory.
 */
#define COW_SECTOR 512
#define COW_ALIGN 4096
int cow_create(const char *path, const char *backing, mode_t mode);

#endif
