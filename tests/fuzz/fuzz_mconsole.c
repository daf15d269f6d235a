// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the mconsole decoders (src/mconsole.c). The input
 * is a sequence of datagrams, each a 2-byte little-endian length and that
 * many bytes (cut at the end of the input). Each goes, in a buffer of
 * exactly its size, through the reply decoder, collected as mconsole_cmd
 * collects the parts of one answer until a part without `more`, and
 * through the notification decoder.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mconsole.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mconsole_part part;
	char *answer = NULL, *nbuf, note[MCONSOLE_MAX_DATA + 1];
	size_t used = 0, n;
	void *dgram;
	int type, ret;

	while (size >= 2) {
		n = data[0] | (size_t)data[1] << 8;
		data += 2;
		size -= 2;
		if (n > size)
			n = size;
		dgram = malloc(n ? n : 1);
		if (!dgram)
			break;
		memcpy(dgram, data, n);
		data += n;
		size -= n;

		ret = mconsole_reply_decode(dgram, n, &part);
		if (ret && ret != -EBADMSG)
			abort();
		if (!ret) {
			if (part.len > MCONSOLE_MAX_DATA ||
			    (part.len &&
			     (part.data < (char *)dgram ||
			      part.data + part.len > (char *)dgram + n)))
				abort();
			nbuf = realloc(answer, used + part.len + 1);
			if (nbuf) {
				answer = nbuf;
				memcpy(answer + used, part.data, part.len);
				used += part.len;
				answer[used] = '\0';
			}
			if (!part.more) {
				free(answer);
				answer = NULL;
				used = 0;
			}
		}
		ret = mconsole_notify_decode(dgram, n, &type, note,
					     sizeof(note));
		if (ret && ret != -EBADMSG)
			abort();
		if (!ret && strlen(note) > MCONSOLE_MAX_DATA)
			abort();
		/* a small destination truncates */
		ret = mconsole_notify_decode(dgram, n, &type, note, 8);
		if (!ret && strlen(note) > 7)
			abort();
		free(dgram);
	}
	free(answer);
	return 0;
}
