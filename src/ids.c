// SPDX-License-Identifier: GPL-2.0
/*
 * Id allocation (ids.h). Layout under STATE_ROOT/.ids/:
 *
 *   N            id base+N is taken; contents: "OWNER\n"
 *   by/OWNER     the reverse entry; contents: "N\n"
 *
 * The forward entry is made first with O_EXCL, so two umnets can never
 * take the same id; a crash between the two leaves an id taken by an
 * owner without a reverse entry, which ids_free() of that owner, or a
 * later ids_alloc() that finds the owner in it, clears.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ids.h"
#include "node.h"
#include "util.h"

#define ID_BASE_MIN 1000 /* below: the distribution's own users */
#define OWNER_MAX 64 /* "lab:NAME" or a node name, with its NUL */

unsigned int ids_base(void)
{
	const char *v = getenv("UMNET_ID_BASE");
	unsigned long b;

	if (v &&
	    !parse_uint(v, ID_BASE_MIN, UINT32_MAX - 1 - UMNET_ID_COUNT, &b))
		return (unsigned int)b;
	return UMNET_ID_BASE_DEFAULT;
}

static int ids_dir(char *out, size_t len, const char *sub)
{
	char root[PATH_MAX];
	int ret;

	ret = state_root(root, sizeof(root));
	if (ret)
		return ret;
	return path_fmt(out, len, "%s/.ids%s%s", root, sub ? "/" : "",
			sub ? sub : "");
}

static bool owner_valid(const char *owner)
{
	size_t n = strlen(owner);

	return n && n < OWNER_MAX && !strchr(owner, '/') && owner[0] != '.';
}

int ids_lookup(const char *owner, unsigned int *id)
{
	char path[PATH_MAX], *data = NULL;
	unsigned long n;
	int ret;

	if (!owner_valid(owner))
		return -EINVAL;
	ret = ids_dir(path, sizeof(path), NULL);
	if (!ret)
		ret = path_append(path, sizeof(path), "/by/%s", owner);
	if (ret)
		return ret;
	ret = read_file(path, &data, NULL);
	if (ret)
		return ret;
	strtrim(data);
	ret = parse_uint(data, 0, UMNET_ID_COUNT - 1, &n);
	free(data);
	if (ret)
		return -EINVAL;
	*id = ids_base() + (unsigned int)n;
	return 0;
}

/* a start for probing that spreads owners over the range */
static unsigned int owner_hash(const char *s)
{
	return fnv1a(s) % UMNET_ID_COUNT;
}

int ids_alloc(const char *owner, unsigned int *id)
{
	char dir[PATH_MAX], path[PATH_MAX], rev[PATH_MAX], tmp[PATH_MAX + 16],
		line[80];
	unsigned int i, n;
	int ret, fd, len;

	ret = ids_lookup(owner, id);
	if (ret != -ENOENT)
		return ret;
	ret = ids_dir(dir, sizeof(dir), "by");
	if (ret)
		return ret;
	ret = mkdir_p(dir, 0700);
	if (ret)
		return ret;
	*strrchr(dir, '/') = '\0';
	ret = path_fmt(rev, sizeof(rev), "%s/by/%s", dir, owner);
	if (ret)
		return ret;
	len = snprintf(line, sizeof(line), "%s\n", owner);
	for (i = 0, n = owner_hash(owner); i < UMNET_ID_COUNT;
	     i++, n = (n + 1) % UMNET_ID_COUNT) {
		ret = path_fmt(path, sizeof(path), "%s/%u", dir, n);
		if (ret)
			return ret;
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			return -errno;
		if (write(fd, line, len) != len) {
			ret = -EIO;
			close(fd);
			unlink(path);
			return ret;
		}
		close(fd);
		/*
		 * the reverse entry, made whole and then linked into place,
		 * exclusively: when another umnet gave the same owner an id
		 * meanwhile, that one is the owner's
		 */
		len = snprintf(line, sizeof(line), "%u\n", n);
		ret = path_fmt(tmp, sizeof(tmp), "%s.%d", rev, (int)getpid());
		if (!ret)
			ret = write_file(tmp, line, len, 0600);
		if (!ret && link(tmp, rev) < 0)
			ret = -errno;
		unlink(tmp);
		if (ret) {
			unlink(path);
			return ret == -EEXIST ? ids_lookup(owner, id) : ret;
		}
		*id = ids_base() + n;
		return 0;
	}
	return -ENOSPC;
}

int ids_free(const char *owner)
{
	char dir[PATH_MAX], path[PATH_MAX];
	unsigned int id;
	int ret;

	ret = ids_lookup(owner, &id);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	ret = ids_dir(dir, sizeof(dir), NULL);
	if (ret)
		return ret;
	if (!path_fmt(path, sizeof(path), "%s/%u", dir, id - ids_base()))
		unlink(path);
	ret = path_fmt(path, sizeof(path), "%s/by/%s", dir, owner);
	if (!ret && unlink(path) < 0 && errno != ENOENT)
		ret = -errno;
	return ret;
}
