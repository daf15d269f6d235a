// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the journal (src/plan.c): the input is cut into
 * lines as journal_teardown cuts it (a last line without its '\n' is not
 * read; a line of 256 bytes or more is refused) and each is parsed by
 * journal_parse, without removing anything. An accepted line names a
 * kind, a nonempty object (a tunnel id 1..2^32-1 for l2tp, 0 or 1 for
 * ipfwd) and a namespace that is the host's (NULL) or nonempty, all inside
 * the line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

static int inside(const char *s, const char *buf, size_t len)
{
	return s >= buf && s + strlen(s) < buf + len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *p, *nl, buf[256];
	struct jline j;

	/* a C string: what follows a NUL byte is never read */
	text = strndup((const char *)data, size);
	if (!text)
		return 0;
	for (p = text; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (strscpy(buf, p, sizeof(buf)) || journal_parse(buf, &j))
			continue;
		if (!inside(j.obj, buf, sizeof(buf)) || !j.obj[0] ||
		    (j.ns && (!inside(j.ns, buf, sizeof(buf)) || !j.ns[0])))
			abort();
		switch (j.kind) {
		case J_NETNS:
			if (!j.ns)
				abort();
			break;
		case J_LINK:
			break;
		case J_L2TP:
			if (!j.id || j.id > UINT32_MAX)
				abort();
			break;
		case J_NFT:
			break;
		case J_IPFWD: /* the old ip_forward: 0 or 1 */
			if (j.id > 1)
				abort();
			break;
		default:
			abort();
		}
	}
	free(text);
	return 0;
}
