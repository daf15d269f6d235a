// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the UML command line: a profile the parser accepts
 * must render (uml_argv) into arguments that cannot split the kernel's
 * command line. UML joins its argv with spaces and the kernel splits the
 * result on any whitespace, so no element may be empty or contain
 * whitespace, a control character or a quote; abort() otherwise.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "node.h"
#include "profile.h"
#include "supervisor.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_no_state_dir();
	return 0;
}

static void check_arg(const struct argv *a, int i)
{
	const unsigned char *s = (const unsigned char *)a->v[i];
	const char *why = NULL;

	if (!*s)
		why = "is empty";
	for (; *s && !why; s++) {
		if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
			why = "contains whitespace";
		else if (*s < 0x20 || *s == 0x7f)
			why = "contains a control character";
		else if (*s == '"' || *s == '\'')
			why = "contains a quote";
	}
	if (!why)
		return;
	fprintf(stderr, "uml_argv: argv[%d] %s: ", i, why);
	for (s = (const unsigned char *)a->v[i]; *s; s++)
		fprintf(stderr, *s < 0x20 || *s >= 0x7f ? "\\x%02x" : "%c", *s);
	fprintf(stderr, "\n");
	abort();
}

static void one_input(const char *text)
{
	static struct profile p;
	static struct node_paths np;
	struct argv a = { 0 };
	struct err e = { "" };
	int i;

	if (profile_parse_string("/fuzz/f.profile", text, &p, &e))
		goto out;
	if (node_paths(p.name, &np))
		goto out; /* up refuses such a name before rendering */
	if (uml_argv(&p, &np, "/k/linux", "/r/rootfs.img", np.cow, 4980736, &a))
		goto out;
	for (i = 0; i < a.n; i++)
		check_arg(&a, i);
out:
	argv_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_text(data, size, one_input);
}
