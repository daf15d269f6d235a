/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the CLI and its core: error text, string buffer. */
#ifndef UMNET_UTIL_H
#define UMNET_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ASCII letters and digits, for strspn(s, ALNUM "_-") == strlen(s) */
#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

/*
 * Library code returns -errno and fills a struct err with the user-facing
 * text ("router.profile:12: ..."); only the CLI prints it.
 */
struct err {
	char msg[1024];
};

/*
 * The one error idiom: fill e and return ret, so that a failing path reads
 *	return errf(e, -ENOENT, "%s: no such node (see umnet status)", name);
 * %m is the errno at the call (saved on entry). e may be NULL. errf_at
 * prefixes "file:line: " (line 0: just "file: ").
 */
__attribute__((format(printf, 3, 4))) int errf(struct err *e, int ret,
					       const char *fmt, ...);
__attribute__((format(printf, 5, 6))) int errf_at(struct err *e, int ret,
						  const char *file, int line,
						  const char *fmt, ...);

/*
 * One line of an INI-like file (profiles, labs): '#' at the start or after
 * whitespace starts a comment. Returns INI_EMPTY, INI_SECTION (*k = the
 * trimmed line, starting with '['), INI_KV (*k, *v trimmed, non-empty), or
 * INI_ERROR with a message in err (what is wrong, for "file:line: ...").
 */
enum ini_kind { INI_EMPTY, INI_SECTION, INI_KV, INI_ERROR };
enum ini_kind ini_line(char *line, char **k, char **v, char *err,
		       size_t errlen);

/* growable string (strbuf.c) */
struct strbuf {
	char *buf;
	size_t len, cap;
	bool oom;
};
__attribute__((format(printf, 2, 3))) void sb_printf(struct strbuf *sb,
						     const char *fmt, ...);
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_puts(struct strbuf *sb, const char *s);
/* append len bytes, NULs included (sb->buf stays NUL-terminated) */
void sb_add(struct strbuf *sb, const void *data, size_t len);
/* append s quoted for a POSIX shell when it needs quoting */
void sb_shquote(struct strbuf *sb, const char *s);
/* append s as a JSON string literal */
void sb_json_str(struct strbuf *sb, const char *s);
const char *sb_str(struct strbuf *sb); /* never NULL */
void sb_free(struct strbuf *sb);

/*
 * snprintf for paths (fsutil.c): -ENAMETOOLONG rather than a truncated path;
 * path_append adds to what out holds already
 */
__attribute__((format(printf, 3, 4))) int path_fmt(char *out, size_t len,
						   const char *fmt, ...);
__attribute__((format(printf, 3, 4))) int path_append(char *out, size_t len,
						      const char *fmt, ...);

/* copy with truncation check: returns -ENAMETOOLONG when src did not fit */
int strscpy(char *dst, const char *src, size_t size);
char *strtrim(char *s);
/* edit distance, for "did you mean" hints */
int levenshtein(const char *a, const char *b);

/* files (fsutil.c) */
int write_file(const char *path, const void *data, size_t len, mode_t mode);
int read_file(const char *path, char **out, size_t *len); /* NUL-terminated */
/* the whole file, any bytes (read_file refuses a NUL), NUL-terminated
 * past its len; -EFBIG past max bytes */
int read_all(const char *path, size_t max, char **out, size_t *len);
int mkdir_p(const char *path, mode_t mode);
/*
 * May uid, with gid and no other groups, pass through every directory on
 * the way to path (path included), by their mode bits (search, x)? 0 when
 * it may (uid 0 always may), else -EACCES with the first directory it may
 * not pass in blocker and its mode in *mode; -errno when one cannot be
 * looked at.
 */
int path_reachable(const char *path, uid_t uid, gid_t gid, char *blocker,
		   size_t len, mode_t *mode);
int rm_rf(const char *path);
int copy_file(const char *src, const char *dst, mode_t mode);

/* an address without its prefix length: "10.1.0.1" */
struct ip_prefix;
const char *ip_addr_str(const struct ip_prefix *p, char *buf, size_t len);

/*
 * Numbers from outside input (options, files): the whole string, decimal
 * digits only (no sign, no spaces), in [min, max]. 0, -EINVAL (not a
 * number), -ERANGE (a number outside [min, max]).
 */
int parse_uint(const char *s, unsigned long min, unsigned long max,
	       unsigned long *out);
/*
 * A number as the kernel's kstrtoull(s, base) reads it (lib/kstrtox.c):
 * an optional '+', then with base 0 "0x"/"0X" + hex digits, "0" + octal
 * digits or decimal; base 10: decimal only (leading zeros are decimal).
 * The whole string (the kernel also takes one trailing newline: not here).
 * -EINVAL when it is not such a number, -ERANGE past 64 bits.
 */
int kstrtoull_like(const char *s, unsigned int base, unsigned long long *out);

/*
 * A size from outside input: decimal digits, then optionally one of K, M,
 * G (also k, m, g; powers of 1024), the whole string, in [min, max] bytes.
 * 0, -EINVAL (not a size), -ERANGE (outside [min, max], or past 64 bits).
 */
int parse_bytes(const char *s, unsigned long long min, unsigned long long max,
		unsigned long long *out);

/*
 * Can s be one word of the UML kernel command line, or a value inside one?
 * The kernel splits its command line on whitespace (its isspace() also
 * counts 0xa0) and treats '"' as quoting, so only printable ASCII other
 * than space, '"' and '\'' is safe; forbid lists more bytes that split the
 * option s goes into (e.g. "," for vecN: and ubdN=). NULL when s is safe
 * and not empty, else what is wrong ("contains a tab (byte 9)").
 */
const char *cmdline_unsafe(const char *s, const char *forbid, char *buf,
			   size_t len);

/*
 * s for an error message: printable ASCII as is, a tab as \t, a line
 * break as \n, other bytes as \xNN, so no input reaches a terminal raw.
 * Truncated to fit buf; returns buf.
 */
const char *str_escape(const char *s, char *buf, size_t len);

/*
 * A name used on the host: network namespaces, interface names, journal
 * fields. 1..max bytes of [A-Za-z0-9_.-], not starting with '.' or '-'.
 */
bool host_name_valid(const char *s, size_t max);
/* FNV-1a, 32 bits: a stable hash of a string (derived ids, hash tables) */
uint32_t fnv1a(const char *s);

/* monotonic milliseconds */
long long now_ms(void);

#endif
