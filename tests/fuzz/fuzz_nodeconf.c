// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for node.conf (rootfs/nodeconf.c): each line of the
 * input, cut as getline cuts it in nodeconf_apply_file (a line with a NUL
 * byte is refused there, so here too), goes through nodeconf_check_line:
 * the parse and argument checks of nodeconf_apply_line, without doing
 * anything. A refused line must say why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nodeconf_apply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size, *nl;
	char *line, msg[256];
	size_t len;

	while (data < end) {
		nl = memchr(data, '\n', end - data);
		len = nl ? (size_t)(nl - data) + 1 : (size_t)(end - data);
		if (!memchr(data, '\0', len)) {
			line = malloc(len + 1);
			if (!line)
				return 0;
			memcpy(line, data, len);
			line[len] = '\0';
			msg[0] = '\0';
			if (nodeconf_check_line(line, msg, sizeof(msg)) &&
			    !msg[0])
				abort();
			free(line);
		}
		data += len;
	}
	return 0;
}
