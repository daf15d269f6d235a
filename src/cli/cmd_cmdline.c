// SPDX-License-Identifier: GPL-2.0
/* umnet cmdline PROFILE: the UML command line `up` would run. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "profile.h"
#include "supervisor.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: umnet cmdline PROFILE\n");
}

int cmdline_main(int argc, char *argv[])
{
	char kernel[PATH_MAX], rootfs[PATH_MAX];
	struct strbuf sb = { 0 };
	struct argv a = { 0 };
	struct profile *p = NULL;
	struct node_paths np;
	struct err e = { "" };
	const char *path;
	int ret = opt_flag(argc, argv, usage, NULL, NULL, 1, 1), r;

	if (ret >= 0)
		return ret;
	ret = 1;
	path = argv[optind];
	p = calloc(1, sizeof(*p));
	if (!p) {
		say_err("out of memory");
		return 1;
	}
	r = profile_parse(path, p, &e);
	if (r) {
		say_fail(r, &e);
		goto out;
	}
	/* show the command line even before the kernel/rootfs were built */
	if (find_kernel(kernel, sizeof(kernel), &e) && !kernel[0])
		strscpy(kernel, "linux", sizeof(kernel));
	if (find_image(p->image, rootfs, sizeof(rootfs), &e) && !rootfs[0])
		strscpy(rootfs, "rootfs.img", sizeof(rootfs));
	r = node_paths(p->name, &np);
	if (r) {
		say_failf(r, NULL, "%s: its state directory", p->name);
		goto out;
	}
	if (uml_argv(p, &np, kernel, rootfs, p->disk[0] ? p->disk : np.cow,
		     host_lpj(kernel), &a)) {
		say_err("out of memory");
		goto out;
	}
	r = argv_check(&a, &e);
	if (r) {
		say_failf(r, &e, "%s", path);
		goto out;
	}
	uml_cmdline(&a, &sb);
	printf("%s\n", sb_str(&sb));
	ret = 0;
out:
	argv_free(&a);
	sb_free(&sb);
	free(p);
	return ret;
}
