// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding the frames of the exec protocol (agent_proto.h): the replies the
 * host reads (src/agent.c) and the requests the in-node agent reads
 * (rootfs/agent.c). Pure functions on one line each, so both sides share
 * them and the fuzzers reach them without a tty. Linked, statically, into
 * the agent as well: libc only.
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

int agent_reply_decode(const char *nonce, const char *line, size_t len,
		       void *dec, size_t *n)
{
	const char *data;
	size_t dlen;
	ssize_t r;
	char kind, *end;
	long code;

	if (len < AGENT_NONCE_LEN + 4 || len >= AGENT_LINE_MAX ||
	    memcmp(line, nonce, AGENT_NONCE_LEN) ||
	    line[AGENT_NONCE_LEN] != ' ' || line[AGENT_NONCE_LEN + 2] != ' ')
		return 0;
	data = line + AGENT_NONCE_LEN + 3;
	dlen = len - (AGENT_NONCE_LEN + 3);
	kind = line[AGENT_NONCE_LEN + 1];
	if (kind == 'x') {
		errno = 0;
		code = strtol(data, &end, 10);
		if (errno || end == data || *end || code < 0 || code > 255)
			return 0;
		*n = (size_t)code;
		return 'x';
	}
	if (kind != 'o' && kind != 'e')
		return 0;
	r = b64_decode(data, dlen, dec);
	if (r < 0)
		return 0; /* damaged frame: skip it */
	*n = (size_t)r;
	return kind;
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
