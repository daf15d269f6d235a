// SPDX-License-Identifier: GPL-2.0
/* The growable string (struct strbuf in util.h) and its quoting helpers. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* room for n more bytes and a NUL: false (sb->oom) when there is none */
static bool grow(struct strbuf *sb, size_t n)
{
	size_t cap = sb->cap ? sb->cap : 256;
	char *p;

	if (sb->oom)
		return false;
	if (sb->len + n + 1 <= sb->cap)
		return true;
	while (cap < sb->len + n + 1)
		cap *= 2;
	p = realloc(sb->buf, cap);
	if (!p) {
		sb->oom = true;
		return false;
	}
	sb->buf = p;
	sb->cap = cap;
	return true;
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
	if (n < 0 || !grow(sb, n))
		return;
	vsnprintf(sb->buf + sb->len, n + 1, fmt, ap);
	sb->len += n;
}

void sb_add(struct strbuf *sb, const void *data, size_t len)
{
	if (!grow(sb, len))
		return;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
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

	if (*s && strspn(s, ALNUM "_-+=.,:/@%") == strlen(s)) {
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
