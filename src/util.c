// SPDX-License-Identifier: GPL-2.0
/*
 * Errors, strings, numbers and names from outside input (util.h); the
 * strbuf is in strbuf.c, paths and files in fsutil.c.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}
