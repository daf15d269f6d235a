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

int write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	const char *p = data;
	int fd = -1, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto cleanup;
		}
		p += n;
		len -= n;
	}
cleanup:
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
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
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
	ssize_t n, w;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		ret = -errno;
		goto cleanup;
	}
	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto cleanup;
		}
		if (n == 0)
			break;
		for (w = 0; w < n;) {
			ssize_t k = write(out, buf + w, n - w);

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				ret = -errno;
				goto cleanup;
			}
			w += k;
		}
	}
cleanup:
	if (out >= 0 && close(out) < 0 && !ret)
		ret = -errno;
	if (in >= 0)
		close(in);
	return ret;
}
