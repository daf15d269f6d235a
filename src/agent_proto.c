// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding the requests of the exec protocol (agent_proto.h) that the
 * in-node agent reads (rootfs/agent.c): pure functions on one line, so the
 * fuzzer reaches them without a tty. Linked statically into the agent:
 * libc only. (The host's side, agent_reply_decode, is in src/agent.c.)
 */
#include "agent_proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int agent_nonce_valid(const char *s, size_t n)
{
	size_t i;

	if (n != AGENT_NONCE_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int agent_request_kind(const char *line, size_t len)
{
	if (len >= 2 + AGENT_NONCE_LEN + 1 && line[0] == 'X' &&
	    line[1] == ' ' && agent_nonce_valid(line + 2, AGENT_NONCE_LEN) &&
	    line[2 + AGENT_NONCE_LEN] == ' ')
		return 'X';
	if (len == 2 + AGENT_NONCE_LEN && line[0] == 'K' && line[1] == ' ' &&
	    agent_nonce_valid(line + 2, AGENT_NONCE_LEN))
		return 'K';
	return 0;
}

int agent_request_argv(const char *b64, char **args, char ***argv)
{
	char *a = NULL, **v = NULL, *p;
	int argc, i, ret;
	ssize_t n;

	*args = NULL;
	*argv = NULL;
	a = malloc(strlen(b64) / 4 * 3 + 3);
	if (!a)
		return -ENOMEM;
	n = b64_decode(b64, strlen(b64), a);
	if (n <= 0 || a[n - 1] != '\0') {
		ret = -EBADMSG;
		goto cleanup;
	}
	for (argc = 0, i = 0; i < n; i++)
		argc += a[i] == '\0';
	v = calloc(argc + 1, sizeof(*v));
	if (!v) {
		ret = -ENOMEM;
		goto cleanup;
	}
	for (p = a, i = 0; i < argc; i++, p += strlen(p) + 1)
		v[i] = p;
	if (!v[0][0]) {
		ret = -EINVAL;
		goto cleanup;
	}
	*args = a;
	*argv = v;
	return argc;
cleanup:
	free(v);
	free(a);
	return ret;
}
