/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the CLI and its core: error text, string buffer. */
#ifndef UMNET_UTIL_H
#define UMNET_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Library code returns -errno and fills a struct err with the user-facing
 * text ("router.profile:12: ..."); only the CLI prints it.
 */
struct err {
	char msg[1024];
};

__attribute__((format(printf, 2, 3))) int err_set(struct err *e,
						  const char *fmt, ...);
/* like err_set, but prefix "file:line: " (line 0: just "file: ") */
__attribute__((format(printf, 4, 5))) int
err_at(struct err *e, const char *file, int line, const char *fmt, ...);

/*
 * One line of an INI-like file (profiles, labs): '#' at the start or after
 * whitespace starts a comment. Returns INI_EMPTY, INI_SECTION (*k = the
 * trimmed line, starting with '['), INI_KV (*k, *v trimmed, non-empty), or
 * INI_ERROR with a message in err (what is wrong, for "file:line: ...").
 */
enum ini_kind { INI_EMPTY, INI_SECTION, INI_KV, INI_ERROR };
enum ini_kind ini_line(char *line, char **k, char **v, char *err,
		       size_t errlen);

/* growable string */
struct strbuf {
	char *buf;
	size_t len, cap;
	bool oom;
};
__attribute__((format(printf, 2, 3))) void sb_printf(struct strbuf *sb,
						     const char *fmt, ...);
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_puts(struct strbuf *sb, const char *s);
/* append s quoted for a POSIX shell when it needs quoting */
void sb_shquote(struct strbuf *sb, const char *s);
/* append s as a JSON string literal */
void sb_json_str(struct strbuf *sb, const char *s);
const char *sb_str(struct strbuf *sb); /* never NULL */
void sb_free(struct strbuf *sb);

/*
 * snprintf for paths: -ENAMETOOLONG rather than a truncated path;
 * path_append adds to what out holds already
 */
__attribute__((format(printf, 3, 4))) int path_fmt(char *out, size_t len,
						   const char *fmt, ...);
__attribute__((format(printf, 3, 4))) int path_append(char *out, size_t len,
						      const char *fmt, ...);

/*
 * A whole string as an unsigned number in [min, max], base 0 (decimal,
 * 0x hex, 0 octal) as the kernel reads it: -EINVAL when it is not a
 * number (empty, trailing text, a sign), -ERANGE when out of range.
 */
int parse_uint(const char *s, unsigned long min, unsigned long max,
	       unsigned long *out);

/* copy with truncation check: returns -ENAMETOOLONG when src did not fit */
int strscpy(char *dst, const char *src, size_t size);
char *strtrim(char *s);
/* edit distance, for "did you mean" hints */
int levenshtein(const char *a, const char *b);

/* files */
int write_file(const char *path, const void *data, size_t len, mode_t mode);
int read_file(const char *path, char **out, size_t *len); /* NUL-terminated */
int mkdir_p(const char *path, mode_t mode);
int rm_rf(const char *path);
int copy_file(const char *src, const char *dst, mode_t mode);

/* an address without its prefix length: "10.1.0.1" */
struct ip_prefix;
const char *ip_addr_str(const struct ip_prefix *p, char *buf, size_t len);

/* monotonic milliseconds */
long long now_ms(void);

#endif
