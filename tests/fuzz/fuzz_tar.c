// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for tar_unpack (src/tar.c), which `umnet node run
 * --unpack` runs on a ConfigMap's archive: each input is unpacked into
 * $TMPDIR/umnet-fuzz-tar.PID/in. Whatever the input, nothing may appear
 * beside `in` (no name or link leads out), and a refused archive must say
 * why. The tree is removed after each input.
 */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tar.h"

static char base[PATH_MAX];

/* directories the archive made unwritable or unsearchable: open them */
static void open_up(const char *path)
{
	char sub[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (lstat(path, &st) || !S_ISDIR(st.st_mode))
		return;
	chmod(path, 0700);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) <
			    (int)sizeof(sub))
			open_up(sub);
	closedir(d);
}

static void remove_base(void)
{
	open_up(base);
	rm_rf(base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = { "" };
	struct dirent *de;
	char in[PATH_MAX];
	int n = 0, ret;
	DIR *d;

	if (!base[0]) {
		const char *tmp = getenv("TMPDIR");

		snprintf(base, sizeof(base), "%s/umnet-fuzz-tar.%d",
			 tmp ? tmp : "/tmp", (int)getpid());
		if (mkdir(base, 0700))
			abort();
		atexit(remove_base);
	}
	snprintf(in, sizeof(in), "%s/in", base);
	if (mkdir(in, 0700))
		abort();
	ret = tar_unpack(data, size, in, &e);
	if (ret && !e.msg[0])
		abort();
	d = opendir(base);
	if (!d)
		abort();
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	if (n != 1) /* something beside in/ */
		abort();
	open_up(in);
	if (rm_rf(in))
		abort();
	return 0;
}
