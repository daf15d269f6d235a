// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the journal (src/plan.c): each line of the input is
 * parsed as journal_teardown parses it (journal_parse_line), without
 * removing anything. An accepted line must have a kind, NUL-terminated
 * names, a link name for a link and a tunnel id for a tunnel.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct journal_entry je;
	char *text, *p, *save = NULL;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* split as journal_teardown does */
	for (p = strtok_r(text, "\n", &save); p;
	     p = strtok_r(NULL, "\n", &save)) {
		if (journal_parse_line(p, &je))
			continue;
		if (memchr(je.netns, '\0', sizeof(je.netns)) == NULL ||
		    memchr(je.name, '\0', sizeof(je.name)) == NULL)
			abort();
		switch (je.kind) {
		case JOURNAL_NETNS:
			if (!je.netns[0])
				abort();
			break;
		case JOURNAL_LINK:
			if (!je.name[0])
				abort();
			break;
		case JOURNAL_L2TP:
			if (!je.tunnel_id)
				abort();
			break;
		default:
			abort();
		}
	}
	free(text);
	return 0;
}
