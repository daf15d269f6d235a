// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the profile parser: any input must parse or be
 * rejected with a file:line message, never crash; an accepted profile's
 * canonical form must parse again to the same canonical form, and every
 * line of the node.conf made from it (drive_nodeconf) must pass the node's
 * own parser (nodeconf_check_line): what the host accepts, the node must.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct profile p, q;
	struct strbuf a = { 0 }, b = { 0 };
	struct err e = { "" };
	char *text;

	/* a C string: what follows a NUL byte is never read */
	text = strndup((const char *)data, size);
	if (!text)
		return 0;
	if (profile_parse_string("/fuzz/f.profile", text, &p, &e)) {
		if (strncmp(e.msg, "/fuzz/f.profile", 15))
			abort(); /* every error names the file */
		goto out;
	}
	check_nodeconf(&p);
	profile_print(&p, &a);
	if (profile_parse_string("/fuzz/f.profile", sb_str(&a), &q, &e)) {
		fprintf(stderr, "canonical form rejected: %s\n%s\n", e.msg,
			sb_str(&a));
		abort();
	}
	profile_print(&q, &b);
	if (strcmp(sb_str(&a), sb_str(&b))) {
		fprintf(stderr, "canonical form unstable:\n%s\n---\n%s\n",
			sb_str(&a), sb_str(&b));
		abort();
	}
out:
	sb_free(&a);
	sb_free(&b);
	free(text);
	return 0;
}
