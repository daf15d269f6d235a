/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal unit-test helpers. Each test binary prints one
 *   TEST: <name>  [ OK ]   or   TEST: <name>  [FAIL]  plus what was seen
 * line per case and exits 0 when all passed, 1 otherwise, 4 to skip.
 */
#ifndef UMNET_UNIT_H
#define UMNET_UNIT_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_failed, unit_passed;

#define UNIT_OK(name)                                 \
	do {                                          \
		printf("TEST: %-60s [ OK ]\n", name); \
		unit_passed++;                        \
	} while (0)

#define UNIT_FAIL(name, ...)                              \
	do {                                              \
		printf("TEST: %-60s [FAIL]\n    ", name); \
		printf(__VA_ARGS__);                      \
		printf("\n");                             \
		unit_failed++;                            \
	} while (0)

/* CHECK(name, cond, fmt, ...): pass when cond holds, else print fmt */
#define CHECK(name, cond, ...)                        \
	do {                                          \
		if (cond)                             \
			UNIT_OK(name);                \
		else                                  \
			UNIT_FAIL(name, __VA_ARGS__); \
	} while (0)

#define CHECK_STR(name, got, want)                                        \
	do {                                                              \
		const char *g_ = (got), *w_ = (want);                     \
		CHECK(name, g_ &&strcmp(g_, w_) == 0,                     \
		      "got:\n%s\n    want:\n%s", g_ ? g_ : "(null)", w_); \
	} while (0)

#define CHECK_INT(name, got, want)                                    \
	do {                                                          \
		long long g_ = (got), w_ = (want);                    \
		CHECK(name, g_ == w_, "got %lld, want %lld", g_, w_); \
	} while (0)

/*
 * Every file ending in ext in dir starts with a line "# expect: TEXT":
 * parse(path, msg, len) must fail with a message containing TEXT.
 */
static inline void unit_bad_files(const char *dir, const char *ext,
				  int (*parse)(const char *path, char *msg,
					       size_t len))
{
	struct dirent **list;
	int n, i;

	n = scandir(dir, &list, NULL, alphasort);
	CHECK("bad files directory readable", n > 2, "scandir %s", dir);
	for (i = 0; i < n; i++) {
		char path[512], line[512] = "", msg[1024] = "", name[300];
		const char *want;
		FILE *f;
		int ret;

		if (!strstr(list[i]->d_name, ext))
			goto next;
		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		snprintf(name, sizeof(name), "rejects %.250s", list[i]->d_name);
		f = fopen(path, "re");
		if (!f) {
			UNIT_FAIL(name, "%s: cannot open: %m", path);
			goto next;
		}
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
		line[strcspn(line, "\n")] = '\0';
		want = strstr(line, "# expect: ");
		if (!want) {
			/* a bad file that says nothing would pass silently */
			UNIT_FAIL(name,
				  "%s:1: no \"# expect: TEXT\" line: start the "
				  "file with the error it must give",
				  path);
			goto next;
		}
		want += 10;
		ret = parse(path, msg, sizeof(msg));
		CHECK(name, ret != 0 && strstr(msg, want),
		      "got:  %s\n    want: ...%s...", ret ? msg : "(accepted)",
		      want);
	next:
		free(list[i]);
	}
	free(list);
}

#define UNIT_DONE()                                                         \
	do {                                                                \
		printf("%d passed, %d failed\n", unit_passed, unit_failed); \
		return unit_failed ? 1 : 0;                                 \
	} while (0)

#endif
