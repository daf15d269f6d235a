// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "netstack.h"
#include "util.h"

static void err_vfill(struct err *e, int saved, const char *file, int line,
		      const char *fmt, va_list ap)
{
	int n = 0;

	if (file)
		n = line > 0 ? snprintf(e->msg, sizeof(e->msg), "%s:%d: ", file,
					line)
			     : snprintf(e->msg, sizeof(e->msg), "%s: ", file);
	if (n < 0 || (size_t)n >= sizeof(e->msg))
		return;
	errno = saved; /* for %m */
	vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
	errno = saved;
}

int errf(struct err *e, int ret, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	if (!e)
		return ret;
	va_start(ap, fmt);
	err_vfill(e, saved, NULL, 0, fmt, ap);
	va_end(ap);
	return ret;
}

int errf_at(struct err *e, int ret, const char *file, int line, const char *fmt,
	    ...)
{
	int saved = errno;
	va_list ap;

	if (!e)
		return ret;
	va_start(ap, fmt);
	err_vfill(e, saved, file, line, fmt, ap);
	va_end(ap);
	return ret;
}

int err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return 0;
}

int err_at(struct err *e, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!e)
		return 0;
	if (line > 0)
		n = snprintf(e->msg, sizeof(e->msg), "%s:%d: ", file, line);
	else
		n = snprintf(e->msg, sizeof(e->msg), "%s: ", file);
	if (n < 0 || (size_t)n >= sizeof(e->msg))
		return 0;
	va_start(ap, fmt);
	vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
	va_end(ap);
	return 0;
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	if (sb->oom)
		return;
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 256;
		char *p;

		while (cap < sb->len + n + 1)
			cap *= 2;
		p = realloc(sb->buf, cap);
		if (!p) {
			sb->oom = true;
			return;
		}
		sb->buf = p;
		sb->cap = cap;
	}
	vsnprintf(sb->buf + sb->len, n + 1, fmt, ap);
	sb->len += n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_printf(sb, "%s", s);
}

void sb_shquote(struct strbuf *sb, const char *s)
{
	const char *p;
	bool plain = *s != '\0';

	for (p = s; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-+=.,:/@%",
			    *p))
			plain = false;
	if (plain) {
		sb_puts(sb, s);
		return;
	}
	sb_puts(sb, "'");
	for (p = s; *p; p++) {
		if (*p == '\'')
			sb_puts(sb, "'\\''");
		else
			sb_printf(sb, "%c", *p);
	}
	sb_puts(sb, "'");
}

void sb_json_str(struct strbuf *sb, const char *s)
{
	const unsigned char *p;

	sb_puts(sb, "\"");
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_printf(sb, "\\%c", *p);
		else if (*p == '\n')
			sb_puts(sb, "\\n");
		else if (*p == '\t')
			sb_puts(sb, "\\t");
		else if (*p < 0x20)
			sb_printf(sb, "\\u%04x", *p);
		else
			sb_printf(sb, "%c", *p);
	}
	sb_puts(sb, "\"");
}

const char *sb_str(struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

void sb_free(struct strbuf *sb)
{
	if (!sb)
		return;
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

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

int strscpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (n >= size) {
		if (size) {
			memcpy(dst, src, size - 1);
			dst[size - 1] = '\0';
		}
		return -ENAMETOOLONG;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

char *strtrim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		*--e = '\0';
	return s;
}

int levenshtein(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int d[64][64];

	if (la >= 64 || lb >= 64)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			d[i][j] = c;
		}
	}
	return d[la][lb];
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

const char *ip_addr_str(const struct ip_prefix *p, char *buf, size_t len)
{
	char *slash;

	ip_prefix_str(p, buf, len);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	return buf;
}

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum ini_kind ini_line(char *line, char **k, char **v, char *err, size_t errlen)
{
	char *s = line, *hash, *eq;

	for (hash = s; (hash = strchr(hash, '#')); hash++) {
		if (hash == s || hash[-1] == ' ' || hash[-1] == '\t') {
			*hash = '\0';
			break;
		}
	}
	s = strtrim(s);
	if (!*s)
		return INI_EMPTY;
	*k = s;
	if (*s == '[')
		return INI_SECTION;
	eq = strchr(s, '=');
	if (!eq) {
		snprintf(err, errlen, "expected key = value, got \"%.200s\"",
			 s);
		return INI_ERROR;
	}
	*eq = '\0';
	*k = strtrim(s);
	*v = strtrim(eq + 1);
	if (!**k) {
		snprintf(err, errlen, "missing key before '='");
		return INI_ERROR;
	}
	if (!**v) {
		snprintf(err, errlen, "%.100s: missing value after '='", *k);
		return INI_ERROR;
	}
	return INI_KV;
}

int parse_uint(const char *s, unsigned long min, unsigned long max,
	       unsigned long *out)
{
	unsigned long long v = 0;
	const char *p;

	if (!s || !*s)
		return -EINVAL;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		if (v > (ULLONG_MAX - (*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (*p - '0');
	}
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

int kstrtoull_like(const char *s, unsigned int base, unsigned long long *out)
{
	unsigned long long v = 0;
	int d, n = 0;

	if (!s)
		return -EINVAL;
	if (*s == '+')
		s++;
	/* _parse_integer_fixup_radix() */
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
		base = 16;
		s += 2;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (; *s; s++, n++) {
		d = digit_value(*s);
		if (d >= (int)base)
			return -EINVAL;
		if (v > (ULLONG_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!n)
		return -EINVAL;
	*out = v;
	return 0;
}

const char *cmdline_unsafe(const char *s, const char *forbid, char *buf,
			   size_t len)
{
	const unsigned char *p;

	if (!s || !*s)
		return "is empty";
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ')
			return "contains a space";
		if (*p == '\t')
			return "contains a tab";
		if (*p == '\n' || *p == '\r')
			return "contains a line break";
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(buf, len,
				 "contains a control character (byte %u)", *p);
			return buf;
		}
		if (*p >= 0x80)
			return "contains a non-ASCII byte (the kernel counts 0xa0 as a space)";
		if (*p == '"' || *p == '\'')
			return "contains a quote";
		if (forbid && strchr(forbid, *p)) {
			snprintf(buf, len, "contains '%c'", *p);
			return buf;
		}
	}
	return NULL;
}

bool host_name_valid(const char *s, size_t max)
{
	size_t n;

	if (!s)
		return false;
	n = strnlen(s, max + 1);
	if (n < 1 || n > max || s[0] == '.' || s[0] == '-')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' ||
		      *s == '-'))
			return false;
	return true;
}

const char *str_escape(const char *s, char *buf, size_t len)
{
	size_t n = 0;
	char tmp[8];

	if (!len)
		return buf;
	for (; s && *s; s++) {
		unsigned char c = *s;
		int k;

		if (c == '\t')
			k = snprintf(tmp, sizeof(tmp), "\\t");
		else if (c == '\n')
			k = snprintf(tmp, sizeof(tmp), "\\n");
		else if (c == '\\')
			k = snprintf(tmp, sizeof(tmp), "\\\\");
		else if (c < 0x20 || c >= 0x7f)
			k = snprintf(tmp, sizeof(tmp), "\\x%02x", c);
		else
			k = snprintf(tmp, sizeof(tmp), "%c", c);
		if (n + k >= len)
			break;
		memcpy(buf + n, tmp, k);
		n += k;
	}
	buf[n] = '\0';
	return buf;
}

int parse_bytes(const char *s, unsigned long long min, unsigned long long max,
		unsigned long long *out)
{
	unsigned long long v = 0, mult = 1;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (ULLONG_MAX - (unsigned)(*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (unsigned)(*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mult = 1ULL << 10;
		break;
	case 'm':
	case 'M':
		mult = 1ULL << 20;
		break;
	case 'g':
	case 'G':
		mult = 1ULL << 30;
		break;
	default:
		return -EINVAL;
	}
	if (*p && p[1])
		return -EINVAL;
	if (v > ULLONG_MAX / mult)
		return -ERANGE;
	v *= mult;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}
