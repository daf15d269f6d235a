// SPDX-License-Identifier: GPL-2.0
/* umnet cmdline PROFILE: the UML command line `up` would run. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "profile.h"
#include "supervisor.h"

int cmdline_main(int argc, char *argv[])
{
	char kernel[PATH_MAX], rootfs[PATH_MAX];
	struct strbuf sb = { 0 };
	struct argv a = { 0 };
	struct profile *p = NULL;
	struct node_paths np;
	struct err e;
	int ret = 1, r;

	if (argc == 2 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: umnet cmdline PROFILE\n");
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "Usage: umnet cmdline PROFILE\n");
		return 2;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return 1;
	if (profile_parse(argv[1], p, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	/* show the command line even before the kernel/rootfs were built */
	if (find_kernel(kernel, sizeof(kernel), &e) && !kernel[0])
		strscpy(kernel, "linux", sizeof(kernel));
	if (find_image(p->image, rootfs, sizeof(rootfs), &e) && !rootfs[0])
		strscpy(rootfs, "rootfs.img", sizeof(rootfs));
	r = node_paths(p->name, &np);
	if (r) {
		say_err("%s: state directory path too long", p->name);
		goto out;
	}
	if (uml_argv(p, &np, kernel, rootfs, p->disk[0] ? p->disk : np.cow,
		     host_lpj(kernel), &a)) {
		say_err("out of memory");
		goto out;
	}
	if (argv_check(&a, &e)) {
		say_err("%s: %s", argv[1], e.msg);
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
