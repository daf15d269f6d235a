// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the Kubernetes export (src/kube.c): any lab that
 * parses and compiles must export or be refused with a message, never
 * crash; every exported file must be free of tabs and NULs, every node's
 * profile in its ConfigMap must parse again, and the tests' lab must parse
 * again with the same tests. Relative paths resolve in a directory that
 * does not exist, so `file =` reads fail with a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube.h"
#include "lab.h"
#include "profile.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("UMNET_STATE_DIR", "/nonexistent/umnet-fuzz", 1);
	return 0;
}

/* the literal block or quoted string "  KEY: ..." unfolded into out */
static int block(const char *yaml, const char *key, struct strbuf *out)
{
	char head[80];
	const char *p;

	snprintf(head, sizeof(head), "\n  %s: |\n", key);
	p = strstr(yaml, head);
	if (!p)
		return -1;
	p += strlen(head);
	while (*p && (!strncmp(p, "    ", 4) || *p == '\n')) {
		size_t l;

		if (*p != '\n')
			p += 4;
		l = strcspn(p, "\n") + 1;
		sb_printf(out, "%.*s", (int)l, p);
		p += l;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lab lab, tl;
	static struct profile q;
	struct kube_manifests m = { 0 };
	struct err e = { "" };
	char *text;
	int i;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (lab_parse("/nonexistent/umnet-fuzz/f.lab", text,
		      "/nonexistent/umnet-fuzz", &lab, &e) ||
	    lab_compile(&lab, NULL, &e))
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

		if (strchr(y, '\t') || strlen(y) != m.files[i].text.len)
			abort();
		/* a block only when it is one: else quoted, not checked */
		if (!block(y, "node.profile", &prof) &&
		    profile_parse_string("/fuzz/node.profile", sb_str(&prof),
					 &q, &e)) {
			fprintf(stderr, "exported profile rejected: %s\n%s\n",
				e.msg, sb_str(&prof));
			abort();
		}
		if (!block(y, "lab.lab", &tests)) {
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
	free(text);
	return 0;
}
