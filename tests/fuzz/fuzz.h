/* SPDX-License-Identifier: GPL-2.0 */
/* Checks shared by the fuzz harnesses. */
#ifndef UMNET_FUZZ_H
#define UMNET_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drive.h"
#include "lab.h"
#include "nodeconf_apply.h"
#include "profile.h"

/*
 * A state root and lab directory that do not exist: relative paths and
 * `file =` reads fail with a message, and nothing on the machine is read
 * or written.
 */
#define FUZZ_ROOT "/nonexistent/umnet-fuzz"

/* for LLVMFuzzerInitialize: UMNET_STATE_DIR = FUZZ_ROOT */
static inline void fuzz_no_state_dir(void)
{
	setenv("UMNET_STATE_DIR", FUZZ_ROOT, 1);
}

/*
 * For LLVMFuzzerTestOneInput: the input as a C string (what follows a NUL
 * byte is never read) to one(); 0, as libFuzzer wants.
 */
static inline int fuzz_text(const uint8_t *data, size_t size,
			    void (*one)(const char *text))
{
	char *text = strndup((const char *)data, size);

	if (text)
		one(text);
	free(text);
	return 0;
}

/* lab_parse of text as FUZZ_ROOT/f.lab, relative paths in FUZZ_ROOT */
static inline int fuzz_lab_parse(const char *text, struct lab *lab,
				 struct err *e)
{
	return lab_parse(FUZZ_ROOT "/f.lab", text, FUZZ_ROOT, lab, e);
}

/*
 * Every line of the node.conf made from p must pass the node's own parser:
 * what the host accepts, the node must accept too.
 */
static inline void check_nodeconf(const struct profile *p)
{
	struct strbuf nc = { 0 };
	char *line, *save = NULL, msg[256];

	if (drive_nodeconf(p, &nc, NULL, 0))
		goto out;
	for (line = strtok_r(nc.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		msg[0] = '\0';
		if (nodeconf_check_line(line, msg, sizeof(msg))) {
			fprintf(stderr, "node.conf line refused: %s: %s\n", msg,
				line);
			abort();
		}
	}
out:
	sb_free(&nc);
}

#endif
