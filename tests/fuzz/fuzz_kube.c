// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the Kubernetes export (src/kube.c): any lab that
 * parses and compiles must export or be refused with a message, never
 * crash; every exported file must be free of NULs and of tabs in its
 * indentation (YAML forbids those; a tab inside a literal block's text,
 * a `run =` line's, is fine), every node's
 * profile in its ConfigMap must parse again, and the tests' lab must parse
 * again with the same tests. Relative paths resolve in a directory that
 * does not exist, so `file =` reads fail with a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "kube.h"
#include "lab.h"
#include "profile.h"
#include "../unit/yaml_block.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_no_state_dir();
	return 0;
}

/* does a line of y have a tab in its leading white space? */
static bool tab_indent(const char *y)
{
	const char *l;

	for (l = y; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (l[strspn(l, " ")] == '\t')
			return true;
	return false;
}

static void one_input(const char *text)
{
	static struct lab lab, tl;
	static struct profile q;
	struct kube_manifests m = { 0 };
	struct err e = { "" };
	int i;

	if (fuzz_lab_parse(text, &lab, &e) || lab_compile(&lab, NULL, &e))
		goto out;
	if (kube_export(&lab, NULL, &m, &e)) {
		if (!e.msg[0] || m.files)
			abort(); /* every refusal says why, leaves nothing */
		goto out;
	}
	if (m.nfiles != lab.nnodes + 1)
		abort();
	for (i = 1; i < m.nfiles; i++) {
		const char *y = sb_str(&m.files[i].text);
		struct strbuf prof = { 0 }, tests = { 0 };

		if (tab_indent(y) || strlen(y) != m.files[i].text.len)
			abort();
		/* a block only when it is one: else quoted, not checked */
		if (yaml_block(y, "node.profile", &prof) &&
		    profile_parse_string("/fuzz/node.profile", sb_str(&prof),
					 &q, &e)) {
			fprintf(stderr, "exported profile rejected: %s\n%s\n",
				e.msg, sb_str(&prof));
			abort();
		}
		if (yaml_block(y, "lab.lab", &tests)) {
			if (lab_parse("/fuzz/lab.lab", sb_str(&tests), "/", &tl,
				      &e)) {
				fprintf(stderr, "tests' lab rejected: %s\n%s\n",
					e.msg, sb_str(&tests));
				abort();
			}
			if (tl.ntests != lab.ntests)
				abort();
			lab_free(&tl);
		}
		sb_free(&prof);
		sb_free(&tests);
	}
out:
	kube_manifests_free(&m);
	lab_free(&lab);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_text(data, size, one_input);
}
