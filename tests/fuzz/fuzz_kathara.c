// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the Kathará/Netkit lab.conf reader: any input must
 * convert or be rejected with a lab.conf:line message, never crash; what it
 * accepts must be a native lab that parses and compiles (or, for limits the
 * native format has, be rejected naming lab.conf).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kathara.h"
#include "lab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf text = { 0 }, warn = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	char *conf;
	int ret;

	/* a C string: what follows a NUL byte is never read */
	conf = strndup((const char *)data, size);
	if (!conf)
		return 0;
	ret = kathara_lab_text("/nonexistent-fuzz", conf, NULL, NULL, &lab,
			       &text, &warn, &e);
	if (ret && strncmp(e.msg, "/nonexistent-fuzz/lab.conf", 26))
		abort(); /* every error names lab.conf */
	if (!ret)
		lab_compile(&lab, NULL, &e);
	lab_free(&lab);
	sb_free(&text);
	sb_free(&warn);
	free(conf);
	return 0;
}
