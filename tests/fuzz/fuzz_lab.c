// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the lab parser and compiler: any text must parse or
 * be rejected with a message, never crash; an accepted lab must compile or
 * be rejected; every node profile it compiles to must print in a canonical
 * form that parses again. Relative paths resolve in a directory that does
 * not exist, the state root is one that does not exist either, and the
 * files a compile makes for the nodes go to a private temporary directory
 * that is emptied after each input.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "lab.h"
#include "profile.h"

static char gen_dir[] = "/tmp/umnet-fuzz-lab.XXXXXX";

static void empty_gen_dir(void)
{
	char path[sizeof(gen_dir) + 300];
	struct dirent *d;
	DIR *dir;

	dir = opendir(gen_dir);
	if (!dir)
		return;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.' ||
		    (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))) {
			snprintf(path, sizeof(path), "%s/%s", gen_dir,
				 d->d_name);
			unlink(path);
		}
	closedir(dir);
}

static void remove_gen_dir(void)
{
	empty_gen_dir();
	rmdir(gen_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_no_state_dir();
	if (!mkdtemp(gen_dir))
		abort();
	atexit(remove_gen_dir);
	return 0;
}

static void one_input(const char *text)
{
	static struct lab lab;
	static struct profile q;
	struct strbuf a = { 0 };
	struct err e = { "" };
	int i;

	if (fuzz_lab_parse(text, &lab, &e)) {
		if (!e.msg[0])
			abort(); /* every failure says why */
		goto out;
	}
	if (lab_compile(&lab, gen_dir, &e)) {
		if (!e.msg[0])
			abort();
		goto out;
	}
	for (i = 0; i < lab.nnodes; i++) {
		if (!lab.nodes[i].p)
			abort(); /* compiled, yet no profile */
		check_nodeconf(lab.nodes[i].p);
		a.len = 0;
		profile_print(lab.nodes[i].p, &a);
		if (profile_parse_string("/fuzz/node.profile", sb_str(&a), &q,
					 &e)) {
			fprintf(stderr, "compiled profile rejected: %s\n%s\n",
				e.msg, sb_str(&a));
			abort();
		}
	}
out:
	lab_free(&lab);
	empty_gen_dir();
	sb_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_text(data, size, one_input);
}
