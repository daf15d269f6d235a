// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the host side of the exec protocol (src/agent.c):
 * the input is what the agent's pts gives, cut into lines as agent_exec
 * cuts them (lines of AGENT_LINE_MAX bytes or more are dropped), each
 * decoded by agent_reply_decode for the nonce 0123456789abcdef into a
 * buffer of exactly the size agent_exec gives it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "agent_proto.h"

#define NONCE "0123456789abcdef"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size, *nl;
	char *line, *dec;
	size_t len, n;
	int kind;

	dec = malloc(AGENT_LINE_MAX / 4 * 3 + 3);
	if (!dec)
		return 0;
	while (data < end) {
		nl = memchr(data, '\n', end - data);
		if (!nl)
			break; /* a partial line waits for its end */
		len = nl - data;
		line = len < AGENT_LINE_MAX ? malloc(len + 1) : NULL;
		if (line) {
			memcpy(line, data, len);
			line[len] = '\0';
			n = 0;
			kind = agent_reply_decode(NONCE, line, len, dec, &n);
			if (kind == 'x' && n > 255)
				abort();
			if ((kind == 'o' || kind == 'e') && n > len / 4 * 3)
				abort();
			if (kind && kind != 'x' && kind != 'o' && kind != 'e')
				abort();
			free(line);
		}
		data = nl + 1;
	}
	free(dec);
	return 0;
}
