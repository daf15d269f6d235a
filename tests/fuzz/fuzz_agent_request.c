// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the node side of the exec protocol (rootfs/agent.c):
 * the input is what the host writes to the agent's tty, cut into lines
 * (overlong ones dropped, as tty_input does); each is classified by
 * agent_request_kind and an X request's arguments decoded by
 * agent_request_argv, as start_job does before it spawns anything.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent_proto.h"

static void request(char *line, size_t len)
{
	char *args = NULL, **argv = NULL;
	int kind, argc, i;

	kind = agent_request_kind(line, len);
	if (kind != 'X')
		return;
	line[2 + AGENT_NONCE_LEN] = '\0'; /* as start_job ends the nonce */
	argc = agent_request_argv(line + 2 + AGENT_NONCE_LEN + 1, &args, &argv);
	if (argc < 0)
		return;
	if (argc < 1 || !argv[0][0] || argv[argc])
		abort();
	for (i = 0; i < argc; i++)
		if (!argv[i])
			abort();
	free(argv);
	free(args);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size, *nl;
	char *line;
	size_t len;

	while (data < end) {
		nl = memchr(data, '\n', end - data);
		if (!nl)
			break;
		len = nl - data;
		line = len <= AGENT_LINE_MAX ? malloc(len + 1) : NULL;
		if (line) {
			memcpy(line, data, len);
			line[len] = '\0';
			request(line, len);
			free(line);
		}
		data = nl + 1;
	}
	return 0;
}
