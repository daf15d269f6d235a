// SPDX-License-Identifier: GPL-2.0
/* Trees in ustar archives (tar.h): written for lab export, read by node run. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tar.h"

/* the ustar header's fields: offset and length in the block */
#define H_NAME 0, 100
#define H_MODE 100, 8
#define H_UID 108, 8
#define H_GID 116, 8
#define H_SIZE 124, 12
#define H_MTIME 136, 12
#define H_CHKSUM 148, 8
#define H_TYPE 156
#define H_LINK 157, 100
#define H_MAGIC 257, 6
#define H_VERSION 263, 2
#define H_PREFIX 345, 155

#define FIELD(h, f) field(h, f)

static char *field(unsigned char *h, size_t off, size_t len)
{
	(void)len;
	return (char *)h + off;
}

/* an octal number that fills len - 1 digits and a NUL */
static void put_octal(unsigned char *h, size_t off, size_t len,
		      unsigned long long v)
{
	snprintf((char *)h + off, len, "%0*llo", (int)len - 1, v);
}

static unsigned int checksum(const unsigned char *h)
{
	unsigned int sum = 0;

	for (int i = 0; i < TAR_BLOCK; i++)
		sum += i >= 148 && i < 156 ? ' ' : h[i];
	return sum;
}

/* name (with its '/' for a directory) into the name and prefix fields */
static int put_name(unsigned char *h, const char *name)
{
	size_t n = strlen(name);
	const char *cut;

	if (n <= 100) {
		memcpy(h, name, n);
		return 0;
	}
	/* the last '/' that leaves at most 155 before it, 100 after it */
	for (cut = name + (n > 156 ? 155 : n - 1); cut > name; cut--)
		if (*cut == '/' && n - (size_t)(cut - name) - 1 <= 100 &&
		    cut[1])
			break;
	if (cut == name)
		return -ENAMETOOLONG;
	memcpy(h + 345, name, cut - name);
	memcpy(h, cut + 1, n - (size_t)(cut - name) - 1);
	return 0;
}

static int header(struct strbuf *out, const char *name, char type, mode_t mode,
		  size_t size, const char *link)
{
	unsigned char h[TAR_BLOCK] = { 0 };

	if (put_name(h, name))
		return -ENAMETOOLONG;
	if (link) {
		if (strlen(link) > 100)
			return -ENAMETOOLONG;
		memcpy(FIELD(h, H_LINK), link, strlen(link));
	}
	put_octal(h, H_MODE, mode & 07777);
	put_octal(h, H_UID, 0);
	put_octal(h, H_GID, 0);
	put_octal(h, H_SIZE, size);
	put_octal(h, H_MTIME, 0);
	h[H_TYPE] = type;
	memcpy(FIELD(h, H_MAGIC), "ustar", 6);
	memcpy(FIELD(h, H_VERSION), "00", 2);
	snprintf(FIELD(h, H_CHKSUM), 8, "%06o", checksum(h));
	h[155] = ' ';
	sb_add(out, h, sizeof(h));
	return out->oom ? -ENOMEM : 0;
}

/* the contents of the regular file src, size bytes, padded to a block;
 * follow: src may be a link to it (the tree's own path) */
static int put_data(struct strbuf *out, const char *src, size_t size,
		    bool follow)
{
	static const char zero[TAR_BLOCK];
	size_t done = 0;
	char buf[16384];
	int fd, ret = 0;
	ssize_t n;

	fd = open(src, O_RDONLY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return -errno;
	while (done < size) {
		n = read(fd, buf,
			 size - done < sizeof(buf) ? size - done : sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO; /* shrank under us */
			break;
		}
		sb_add(out, buf, n);
		done += n;
	}
	close(fd);
	if (!ret && size % TAR_BLOCK)
		sb_add(out, zero, TAR_BLOCK - size % TAR_BLOCK);
	return ret ? ret : out->oom ? -ENOMEM : 0;
}

static int no_dots(const struct dirent *de)
{
	return strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
}

static int walk(struct strbuf *out, const char *src, const char *as, size_t max,
		int depth, struct err *e)
{
	char s[PATH_MAX], a[PATH_MAX], link[PATH_MAX];
	struct dirent **list = NULL;
	struct stat st;
	int ret = 0, n = 0, i;
	ssize_t ln;

	if (depth > TAR_DEPTH_MAX)
		return errf(e, -ELOOP, "%s: more than %d directories deep", src,
			    TAR_DEPTH_MAX);
	/* the tree's own path may be a link to it; inside, links stay */
	if (depth ? lstat(src, &st) : stat(src, &st))
		return errf(e, -errno, "%s: %m", src);
	if (S_ISDIR(st.st_mode)) {
		if (path_fmt(a, sizeof(a), "%s/", as))
			return errf(e, -ENAMETOOLONG, "%s: name too long", src);
		ret = header(out, a, '5', st.st_mode, 0, NULL);
	} else if (S_ISREG(st.st_mode)) {
		/* before reading it: the file itself may be past max */
		if (out->len + TAR_BLOCK + (size_t)st.st_size + 3 * TAR_BLOCK >
		    max)
			return errf(e, -EFBIG, "%s: past %zu KiB", src,
				    max / 1024);
		ret = header(out, as, '0', st.st_mode, st.st_size, NULL);
		if (!ret)
			ret = put_data(out, src, st.st_size, !depth);
	} else if (S_ISLNK(st.st_mode)) {
		ln = readlink(src, link, sizeof(link) - 1);
		if (ln < 0)
			return errf(e, -errno, "%s: %m", src);
		link[ln] = '\0';
		ret = header(out, as, '2', 0777, 0, link);
	} else {
		return errf(e, -EINVAL,
			    "%s: not a file, a directory or a symbolic link",
			    src);
	}
	if (ret == -ENAMETOOLONG)
		return errf(
			e, ret,
			"%s: its name (%s) or link is longer than a ustar archive holds",
			src, as);
	if (ret)
		return errf(e, ret, "%s: %s", src, strerror(-ret));
	if (out->len + 2 * TAR_BLOCK > max)
		return errf(e, -EFBIG, "%s: past %zu KiB", src, max / 1024);
	if (!S_ISDIR(st.st_mode))
		return 0;
	n = scandir(src, &list, no_dots, alphasort);
	if (n < 0)
		return errf(e, -errno, "%s: %m", src);
	for (i = 0; i < n && !ret; i++) {
		if (path_fmt(s, sizeof(s), "%s/%s", src, list[i]->d_name) ||
		    path_fmt(a, sizeof(a), "%s/%s", as, list[i]->d_name))
			ret = errf(e, -ENAMETOOLONG, "%s/%s: name too long",
				   src, list[i]->d_name);
		else
			ret = walk(out, s, a, max, depth + 1, e);
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return ret;
}

int tar_add(struct strbuf *out, const char *src, const char *as, size_t max,
	    struct err *e)
{
	return walk(out, src, as, max, 0, e);
}

void tar_end(struct strbuf *out)
{
	static const char zero[2 * TAR_BLOCK];

	sb_add(out, zero, sizeof(zero));
}

/* a field's number (octal digits, then NUL or space): -1 if it is not one */
static long long get_octal(const unsigned char *h, size_t off, size_t len)
{
	long long v = 0;
	size_t i = 0;

	while (i < len && h[off + i] == ' ')
		i++;
	if (i == len || h[off + i] < '0' || h[off + i] > '7')
		return -1;
	for (; i < len && h[off + i] >= '0' && h[off + i] <= '7'; i++) {
		if (v > (LLONG_MAX >> 3))
			return -1;
		v = v * 8 + (h[off + i] - '0');
	}
	if (i < len && h[off + i] != '\0' && h[off + i] != ' ')
		return -1;
	return v;
}

/* relative, inside: no empty, ".", or ".." component ("a/" is a) */
static bool safe_name(char *name)
{
	size_t n = strlen(name);
	char *p = name;

	while (n > 1 && name[n - 1] == '/')
		name[--n] = '\0';
	if (!n || name[0] == '/')
		return false;
	for (;;) {
		size_t c = strcspn(p, "/");

		if (!c || (c == 1 && p[0] == '.') ||
		    (c == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!p[c])
			return true;
		p += c + 1;
	}
}

struct later {
	char *path, *link; /* link: a symbolic link, else a directory */
	mode_t mode;
};

static int unpack_file(const char *path, const void *data, size_t size,
		       mode_t mode)
{
	size_t done = 0;
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0)
		return -errno;
	while (done < size) {
		n = write(fd, (const char *)data + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		done += n;
	}
	if (!ret && fchmod(fd, mode & 07777) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* the directory the entry at path goes in (made, mode set later) */
static int make_parent(char *path)
{
	char *slash = strrchr(path, '/');
	int ret;

	*slash = '\0';
	ret = mkdir_p(path, 0700);
	*slash = '/';
	return ret;
}

int tar_unpack(const void *data, size_t len, const char *dir, struct err *e)
{
	const unsigned char *p = data;
	struct later *later = NULL, *l;
	char name[256 + 1], path[PATH_MAX], link[101];
	size_t off = 0, nlater = 0, i;
	long long size, mode;
	bool ended = false;
	unsigned char h[TAR_BLOCK];
	int ret = 0;

	while (!ret && off + TAR_BLOCK <= len) {
		memcpy(h, p + off, TAR_BLOCK);
		off += TAR_BLOCK;
		for (i = 0; i < TAR_BLOCK && !h[i]; i++)
			;
		if (i == TAR_BLOCK) {
			ended = true;
			break;
		}
		size = get_octal(h, H_SIZE);
		mode = get_octal(h, H_MODE);
		if (memcmp(FIELD(h, H_MAGIC), "ustar", 5) ||
		    get_octal(h, H_CHKSUM) != (long long)checksum(h) ||
		    size < 0 || mode < 0) {
			ret = errf(
				e, -EINVAL,
				"block %zu: not a ustar header (or a damaged one)",
				off / TAR_BLOCK - 1);
			break;
		}
		if ((size_t)size > len - off) {
			ret = errf(e, -EINVAL,
				   "block %zu: the archive ends early",
				   off / TAR_BLOCK - 1);
			break;
		}
		snprintf(name, sizeof(name), "%.*s%s%.*s",
			 (int)strnlen(FIELD(h, H_PREFIX), 155),
			 FIELD(h, H_PREFIX), h[345] ? "/" : "",
			 (int)strnlen(FIELD(h, H_NAME), 100), FIELD(h, H_NAME));
		snprintf(link, sizeof(link), "%.100s", FIELD(h, H_LINK));
		if (!safe_name(name)) {
			ret = errf(
				e, -EINVAL,
				"%s: a name that would leave %s (absolute, empty, . or ..)",
				name, dir);
			break;
		}
		if (path_fmt(path, sizeof(path), "%s/%s", dir, name)) {
			ret = errf(e, -ENAMETOOLONG, "%s: name too long", name);
			break;
		}
		switch (h[H_TYPE]) {
		case '0':
		case '\0':
			ret = make_parent(path);
			if (!ret)
				ret = unpack_file(path, p + off, size, mode);
			break;
		case '5':
		case '2':
			ret = h[H_TYPE] == '5' ? mkdir_p(path, 0700) : 0;
			if (ret)
				break;
			l = realloc(later, (nlater + 1) * sizeof(*later));
			if (!l) {
				ret = -ENOMEM;
				break;
			}
			later = l;
			l = &later[nlater];
			l->mode = mode;
			l->path = strdup(path);
			l->link = h[H_TYPE] == '2' ? strdup(link) : NULL;
			if (!l->path || (h[H_TYPE] == '2' && !l->link)) {
				free(l->path);
				free(l->link);
				ret = -ENOMEM;
				break;
			}
			nlater++;
			break;
		default:
			ret = errf(
				e, -EINVAL,
				"%s: entry type '%c': only files, directories and symbolic links",
				name, h[H_TYPE]);
			goto cleanup;
		}
		if (ret) {
			ret = errf(e, ret, "%s: %s", name, strerror(-ret));
			break;
		}
		off += (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
	}
	if (!ret && !ended)
		ret = errf(e, -EINVAL,
			   "the archive ends early (no end blocks)");
	/* links once every file is in (none is written through one), then
	 * the directories' modes, the deepest first */
	for (i = 0; !ret && i < nlater; i++) {
		l = &later[i];
		if (!l->link)
			continue;
		ret = make_parent(l->path);
		if (!ret && symlink(l->link, l->path) < 0)
			ret = -errno;
		if (ret)
			ret = errf(e, ret, "%s: %s", l->path, strerror(-ret));
	}
	for (i = nlater; !ret && i-- > 0;) {
		l = &later[i];
		if (!l->link && chmod(l->path, l->mode & 07777) < 0)
			ret = errf(e, -errno, "%s: %m", l->path);
	}
cleanup:
	for (i = 0; i < nlater; i++) {
		free(later[i].path);
		free(later[i].link);
	}
	free(later);
	return ret;
}
