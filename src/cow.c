// SPDX-License-Identifier: GPL-2.0
/*
 * COW header reading, byte for byte as read_cow_header() in
 * arch/um/drivers/cow_user.c does it, and the backing file check of
 * backing_file_mismatch() in arch/um/drivers/ubd_kern.c.
 *
 * Byte order, as UML has it: the magic tells whether the version is in host
 * or big-endian order. Then v1 fields are always read in host order, v2 and
 * v3 fields always big-endian (UML writes v3 with htobe*), whatever the magic
 * said. A v3 header whose backing_file starts with four zero bytes was
 * written with the unpacked layout of pre-2006 64-bit binaries (4 bytes of
 * padding before a 64-bit mtime, of which UML reads the low 32 bits).
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "cow.h"

#define PATH_LEN_V1 256
#define PATH_LEN_V2 4096
#define PATH_LEN_V3 4096

struct cow_header_v1 {
	int32_t magic;
	int32_t version;
	char backing_file[PATH_LEN_V1];
	uint32_t mtime;
	uint64_t size;
	int32_t sectorsize;
} __attribute__((packed));

struct cow_header_v2 {
	uint32_t magic;
	uint32_t version;
	char backing_file[PATH_LEN_V2];
	uint32_t mtime;
	uint64_t size;
	int32_t sectorsize;
} __attribute__((packed));

struct cow_header_v3 {
	uint32_t magic;
	uint32_t version;
	uint32_t mtime;
	uint64_t size;
	uint32_t sectorsize;
	uint32_t alignment;
	uint32_t cow_format;
	char backing_file[PATH_LEN_V3];
} __attribute__((packed));

/* the broken (unpacked) layout of some 64-bit binaries until Dec 2005 */
struct cow_header_v3_broken {
	uint32_t magic;
	uint32_t version;
	int64_t mtime;
	uint64_t size;
	uint32_t sectorsize;
	uint32_t alignment;
	uint32_t cow_format;
	char backing_file[PATH_LEN_V3];
};

union cow_header {
	struct cow_header_v1 v1;
	struct cow_header_v2 v2;
	struct cow_header_v3 v3;
	struct cow_header_v3_broken v3_b;
};

_Static_assert(sizeof(struct cow_header_v1) == 280, "v1 layout");
_Static_assert(sizeof(struct cow_header_v2) == 4120, "v2 layout");
_Static_assert(sizeof(struct cow_header_v3) == 4128, "v3 layout");
_Static_assert(offsetof(struct cow_header_v3_broken, backing_file) == 36,
	       "broken v3 layout");

static void copy_path(char *to, const char *from, size_t max)
{
	size_t n = strnlen(from, max);

	memcpy(to, from, n);
	to[n] = '\0';
}

int cow_parse(const void *buf, size_t n, struct cow_info *ci)
{
	union cow_header *h = NULL;
	uint32_t magic, version, first;
	int ret;

	if (!buf || !ci)
		return -EINVAL;
	memset(ci, 0, sizeof(*ci));
	/* a zeroed header of the largest layout, what fits of buf in it */
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	if (n > sizeof(*h))
		n = sizeof(*h);
	memcpy(h, buf, n);

	ret = -EINVAL;
	if (n < offsetof(struct cow_header_v1, backing_file))
		goto cleanup;

	magic = h->v1.magic;
	if (magic == COW_MAGIC)
		version = h->v1.version;
	else if (magic == be32toh(COW_MAGIC))
		version = be32toh(h->v1.version);
	else
		goto cleanup;

	memcpy(&first, h->v3.backing_file, sizeof(first));
	if (version == 1) {
		if (n < sizeof(h->v1))
			goto cleanup;
		ci->mtime = h->v1.mtime;
		ci->size = h->v1.size;
		ci->sectorsize = h->v1.sectorsize;
		copy_path(ci->backing, h->v1.backing_file, PATH_LEN_V1);
	} else if (version == 2) {
		if (n < sizeof(h->v2))
			goto cleanup;
		ci->mtime = be32toh(h->v2.mtime);
		ci->size = be64toh(h->v2.size);
		ci->sectorsize = be32toh(h->v2.sectorsize);
		copy_path(ci->backing, h->v2.backing_file, PATH_LEN_V2);
	} else if (version == 3 && first != 0) {
		if (n < sizeof(h->v3))
			goto cleanup;
		ci->mtime = be32toh(h->v3.mtime);
		ci->size = be64toh(h->v3.size);
		ci->sectorsize = be32toh(h->v3.sectorsize);
		ci->alignment = be32toh(h->v3.alignment);
		ci->cow_format = be32toh(h->v3.cow_format);
		copy_path(ci->backing, h->v3.backing_file, PATH_LEN_V3);
	} else if (version == 3) {
		if (n < sizeof(h->v3_b))
			goto cleanup;
		/* bug-compatible: be32toh of the truncated 64-bit field */
		ci->mtime = be32toh((uint32_t)h->v3_b.mtime);
		ci->size = be64toh(h->v3_b.size);
		ci->sectorsize = be32toh(h->v3_b.sectorsize);
		ci->alignment = be32toh(h->v3_b.alignment);
		ci->cow_format = be32toh(h->v3_b.cow_format);
		copy_path(ci->backing, h->v3_b.backing_file, PATH_LEN_V3);
	} else {
		goto cleanup;
	}
	/* UML divides by both when sizing the bitmap: a corrupt header */
	if (ci->sectorsize == 0 || (version == 3 && ci->alignment == 0))
		goto cleanup;
	ci->version = version;
	ret = 0;
cleanup:
	if (ret)
		memset(ci, 0, sizeof(*ci));
	free(h);
	return ret;
}

int cow_read(const char *path, struct cow_info *ci)
{
	union cow_header *h = NULL;
	size_t n = 0;
	ssize_t r;
	int fd = -1, ret;

	if (!path || !ci)
		return -EINVAL;
	memset(ci, 0, sizeof(*ci));

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	h = calloc(1, sizeof(*h));
	if (!h) {
		ret = -ENOMEM;
		goto cleanup;
	}
	while (n < sizeof(*h)) {
		r = pread(fd, (char *)h + n, sizeof(*h) - n, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			goto cleanup;
		}
		if (r == 0)
			break;
		n += r;
	}
	ret = cow_parse(h, n, ci);
cleanup:
	free(h);
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Size as os_file_size() sees it: block devices by ioctl. */
static int file_size(const char *path, const struct stat *st, uint64_t *size)
{
	int fd = -1, ret = 0;

	if (!S_ISBLK(st->st_mode)) {
		*size = st->st_size;
		return 0;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, BLKGETSIZE64, size) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static void fmt_time(char *buf, size_t len, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) ||
	    !strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, len, "@%lld", t);
}

int cow_check(const struct cow_info *ci, const char *backing_path, char *why,
	      size_t len)
{
	char *want = NULL, *have = NULL;
	char was[32], now[32];
	struct stat st;
	uint64_t size;
	int ret, off = 0;

	if (!ci || !backing_path || (!why && len))
		return -EINVAL;
	if (len)
		why[0] = '\0';

	if (stat(backing_path, &st) < 0)
		return -errno;
	ret = file_size(backing_path, &st, &size);
	if (ret)
		return ret;
	have = realpath(backing_path, NULL);
	if (!have)
		return -errno;
	/* a header path that no longer resolves is compared as it stands */
	want = realpath(ci->backing, NULL);

	ret = -ESTALE;
	if (strcmp(want ? want : ci->backing, have) != 0) {
		if (len)
			snprintf(why, len,
				 "backing file mismatch: the COW header names "
				 "%s, not %s",
				 ci->backing, have);
		goto cleanup;
	}
	if (size == ci->size && (long long)st.st_mtime == ci->mtime) {
		ret = 0;
		goto cleanup;
	}
	if (!len)
		goto cleanup;

	off = snprintf(why, len, "backing file %s changed:", ci->backing);
	if (size != ci->size && off >= 0 && (size_t)off < len)
		off += snprintf(why + off, len - off,
				" size %llu in the COW header, %llu now%s",
				(unsigned long long)ci->size,
				(unsigned long long)size,
				(long long)st.st_mtime != ci->mtime ? ";" : "");
	if ((long long)st.st_mtime != ci->mtime && off >= 0 &&
	    (size_t)off < len) {
		fmt_time(was, sizeof(was), ci->mtime);
		fmt_time(now, sizeof(now), st.st_mtime);
		snprintf(why + off, len - off,
			 " mtime %s in the COW header, %s now", was, now);
	}
cleanup:
	free(want);
	free(have);
	return ret;
}

int cow_create(const char *path, const char *backing, mode_t mode)
{
	struct cow_header_v3 h = { 0 };
	unsigned long long bitmap_off, bitmap_len, data_off;
	char abs[PATH_MAX];
	struct stat st;
	int fd = -1, ret = 0;

	if (!realpath(backing, abs))
		return -errno;
	if (stat(abs, &st) < 0)
		return -errno;
	if (strlen(abs) >= sizeof(h.backing_file))
		return -ENAMETOOLONG;
	/* as init_cow_file() writes it: v3, big-endian, bitmap format */
	h.magic = htobe32(COW_MAGIC);
	h.version = htobe32(3);
	h.mtime = htobe32((uint32_t)st.st_mtime);
	h.size = htobe64((uint64_t)st.st_size);
	h.sectorsize = htobe32(COW_SECTOR);
	h.alignment = htobe32(COW_ALIGN);
	h.cow_format = 0;
	strcpy(h.backing_file, abs);
	/* cow_sizes(): the bitmap after the header, the data aligned */
	bitmap_off = (sizeof(h) + COW_ALIGN - 1) / COW_ALIGN * COW_ALIGN;
	bitmap_len = ((st.st_size + COW_SECTOR - 1) / COW_SECTOR + 7) / 8;
	data_off = (bitmap_off + bitmap_len + COW_ALIGN - 1) / COW_ALIGN *
		   COW_ALIGN;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	if (pwrite(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    pwrite(fd, "", 1, data_off + st.st_size - 1) != 1)
		ret = errno ? -errno : -EIO;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (ret)
		unlink(path);
	return ret;
}
