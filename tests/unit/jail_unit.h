/* SPDX-License-Identifier: GPL-2.0 */
/* What the jail and cgroup unit tests share: skipping cases that need root. */
#ifndef UMNET_JAIL_UNIT_H
#define UMNET_JAIL_UNIT_H

#include <unistd.h>

#include "unit.h"

/* a case that cannot run here: say why; main's summary counts it */
static int unit_skipped;

#define UNIT_SKIP(name, why)                                  \
	do {                                                  \
		printf("TEST: %-60s [SKIP] %s\n", name, why); \
		unit_skipped++;                               \
	} while (0)

/* not root: skip every case (names, NULL-terminated); returns 4, else 0 */
static inline int unit_need_root(const char *const *names, const char *why)
{
	if (geteuid() == 0)
		return 0;
	for (; *names; names++)
		UNIT_SKIP(*names, why);
	printf("0 passed, 0 failed, %d skipped\n", unit_skipped);
	return 4;
}

#endif
