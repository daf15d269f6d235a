// SPDX-License-Identifier: GPL-2.0
/* Paths and files (declared in util.h): path_fmt, read/write, mkdir_p, rm_rf. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int path_fmt(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int path_append(char *out, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(out, len);
	va_list ap;
	int n;

	if (used >= len)
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	n = vsnprintf(out + used, len - used, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len - used ? -ENAMETOOLONG : 0;
}

/* all of data, retried on EINTR: 0 or -errno */
static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/* read(2) retried on EINTR: the bytes read, 0 at the end, or -errno */
static ssize_t read_some(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

int write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = -1, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	ret = write_all(fd, data, len);
	if (close(fd) < 0 && !ret)
		ret = -errno;
	return ret;
}

int read_file(const char *path, char **out, size_t *len)
{
	struct strbuf sb = { 0 };
	char buf[4096];
	int fd = -1, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read_some(fd, buf, sizeof(buf));

		if (n < 0) {
			ret = n;
			goto cleanup;
		}
		if (n == 0)
			break;
		sb_printf(&sb, "%.*s", (int)n, buf);
		if (memchr(buf, '\0', n)) {
			ret = -EINVAL;
			goto cleanup;
		}
	}
	if (sb.oom) {
		ret = -ENOMEM;
		goto cleanup;
	}
	if (!sb.buf)
		sb.buf = strdup("");
	if (!sb.buf) {
		ret = -ENOMEM;
		goto cleanup;
	}
	if (len)
		*len = sb.len;
	*out = sb.buf;
	sb.buf = NULL;
cleanup:
	sb_free(&sb);
	close(fd);
	return ret;
}

int read_all(const char *path, size_t max, char **out, size_t *len)
{
	size_t n = 0;
	char *buf = NULL;
	ssize_t r;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(max + 2);
	if (!buf) {
		ret = -ENOMEM;
		goto cleanup;
	}
	while ((r = read_some(fd, buf + n, max + 1 - n)) != 0) {
		if (r < 0) {
			ret = r;
			goto cleanup;
		}
		n += (size_t)r;
		if (n > max) {
			ret = -EFBIG;
			goto cleanup;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
cleanup:
	free(buf);
	close(fd);
	return ret;
}

int mkdir_p(const char *path, mode_t mode)
{
	char tmp[4096], *p;

	if (strscpy(tmp, path, sizeof(tmp)))
		return -ENAMETOOLONG;
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int path_reachable(const char *path, uid_t uid, gid_t gid, char *blocker,
		   size_t len, mode_t *mode)
{
	char tmp[PATH_MAX];
	struct stat st;
	size_t i, n;
	mode_t want;

	if (strscpy(tmp, path, sizeof(tmp)))
		return -ENAMETOOLONG;
	if (uid == 0)
		return 0;
	/* "/", "/a", "/a/b", ...: each prefix, the whole path last */
	n = strlen(tmp);
	for (i = 0; i <= n; i++) {
		char c = tmp[i];
		const char *dir = tmp;

		if (i < n && c != '/')
			continue;
		if (i == 0)
			dir = "/"; /* a relative path starts at the cwd */
		if (i == 0 && c != '/')
			continue;
		tmp[i] = '\0';
		if (stat(dir, &st) < 0)
			return -errno;
		want = st.st_uid == uid	  ? S_IXUSR
		       : st.st_gid == gid ? S_IXGRP
					  : S_IXOTH;
		if (S_ISDIR(st.st_mode) && !(st.st_mode & want)) {
			strscpy(blocker, dir, len);
			*mode = st.st_mode & 07777;
			return -EACCES;
		}
		tmp[i] = c;
	}
	return 0;
}

int rm_rf(const char *path)
{
	struct stat st;
	DIR *d = NULL;
	struct dirent *de;
	int ret = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char sub[4096];

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) >=
		    (int)sizeof(sub)) {
			ret = -ENAMETOOLONG;
			goto cleanup;
		}
		ret = rm_rf(sub);
		if (ret)
			goto cleanup;
	}
	if (rmdir(path) < 0 && errno != ENOENT)
		ret = -errno;
cleanup:
	closedir(d);
	return ret;
}

/* byte for byte: `file =` copies binaries too (eBPF objects, programs) */
int copy_file(const char *src, const char *dst, mode_t mode)
{
	int in = -1, out = -1, ret = 0;
	char buf[65536];
	ssize_t n;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		ret = -errno;
		goto cleanup;
	}
	for (;;) {
		n = read_some(in, buf, sizeof(buf));
		if (n <= 0) {
			ret = n;
			break;
		}
		ret = write_all(out, buf, n);
		if (ret)
			break;
	}
cleanup:
	if (out >= 0 && close(out) < 0 && !ret)
		ret = -errno;
	if (in >= 0)
		close(in);
	return ret;
}
