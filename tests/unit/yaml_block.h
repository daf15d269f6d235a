/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading back what src/kube_yaml.c writes, independently of it: shared by
 * tests/unit/test_kube.c and tests/fuzz/fuzz_kube.c.
 */
#ifndef UMNET_YAML_BLOCK_H
#define UMNET_YAML_BLOCK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

/*
 * The literal block "  KEY: |" of a ConfigMap's data, unindented, appended
 * to out; false when key has no literal block (a quoted value, or none)
 */
static inline bool yaml_block(const char *yaml, const char *key,
			      struct strbuf *out)
{
	char head[80];
	const char *p;

	snprintf(head, sizeof(head), "\n  %s: |\n", key);
	p = strstr(yaml, head);
	if (!p)
		return false;
	p += strlen(head);
	while (*p && (!strncmp(p, "    ", 4) || *p == '\n')) {
		size_t l;

		if (*p != '\n')
			p += 4;
		l = strcspn(p, "\n") + 1;
		sb_printf(out, "%.*s", (int)l, p);
		p += l;
	}
	return true;
}

#endif
