// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the COW header parser (src/cow.c): any bytes as
 * the start of a COW file parse or are refused with -EINVAL, never crash;
 * an accepted header has a known version, a NUL-terminated backing path
 * and the nonzero sizes UML divides by.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cow_info ci;
	int ret;

	ret = cow_parse(data, size, &ci);
	if (ret && ret != -EINVAL && ret != -ENOMEM)
		abort();
	if (ret)
		return 0;
	if (ci.version < 1 || ci.version > 3 || !ci.sectorsize ||
	    (ci.version == 3 && !ci.alignment) ||
	    !memchr(ci.backing, '\0', sizeof(ci.backing)))
		abort();
	return 0;
}
