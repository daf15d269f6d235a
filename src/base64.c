// SPDX-License-Identifier: GPL-2.0
/*
 * base64 (RFC 4648 section 4, standard alphabet, with '=' padding) for the
 * exec protocol (agent_proto.h). Linked into the host CLI and, statically,
 * into the in-node init and agent, so it depends on nothing but libc.
 */
#include "agent_proto.h"

#include <stdint.h>

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t b64_encoded_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

size_t b64_encode(const void *in, size_t n, char *out)
{
	const unsigned char *p = in;
	size_t i, o = 0;
	uint32_t v;

	for (i = 0; i + 3 <= n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[o++] = b64_alphabet[v >> 18 & 63];
		out[o++] = b64_alphabet[v >> 12 & 63];
		out[o++] = b64_alphabet[v >> 6 & 63];
		out[o++] = b64_alphabet[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)p[i] << 16;
		out[o++] = b64_alphabet[v >> 18 & 63];
		out[o++] = b64_alphabet[v >> 12 & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (n - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		out[o++] = b64_alphabet[v >> 18 & 63];
		out[o++] = b64_alphabet[v >> 12 & 63];
		out[o++] = b64_alphabet[v >> 6 & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}

/* value of one base64 character, or -1 */
static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Strict decoding: the length must be a multiple of 4, '=' may only appear
 * as one or two final padding characters, the bits a padded quantum leaves
 * unused must be zero (so every byte string has exactly one encoding), and
 * nothing else (whitespace, NUL, other alphabets) is accepted.
 */
ssize_t b64_decode(const char *in, size_t n, void *out)
{
	unsigned char *q = out;
	size_t i, o = 0;
	int a, b, c, d;

	if (n % 4)
		return -1;
	for (i = 0; i < n; i += 4) {
		int last = i + 4 == n;

		a = b64_value(in[i]);
		b = b64_value(in[i + 1]);
		if (a < 0 || b < 0)
			return -1;
		if (last && in[i + 2] == '=' && in[i + 3] == '=') {
			if (b & 0x0f)
				return -1;
			q[o++] = (unsigned char)(a << 2 | b >> 4);
			break;
		}
		c = b64_value(in[i + 2]);
		if (c < 0)
			return -1;
		if (last && in[i + 3] == '=') {
			if (c & 0x03)
				return -1;
			q[o++] = (unsigned char)(a << 2 | b >> 4);
			q[o++] = (unsigned char)((b & 0x0f) << 4 | c >> 2);
			break;
		}
		d = b64_value(in[i + 3]);
		if (d < 0)
			return -1;
		q[o++] = (unsigned char)(a << 2 | b >> 4);
		q[o++] = (unsigned char)((b & 0x0f) << 4 | c >> 2);
		q[o++] = (unsigned char)((c & 0x03) << 6 | d);
	}
	return (ssize_t)o;
}
