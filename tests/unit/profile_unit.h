/* SPDX-License-Identifier: GPL-2.0 */
/* Profiles that must be refused, for the unit tests of profile keys. */
#ifndef UMNET_PROFILE_UNIT_H
#define UMNET_PROFILE_UNIT_H

#include "profile.h"
#include "unit.h"

/* the lines after a fixed head, and what the error must contain */
struct refused {
	const char *name, *lines, *want;
};

/* each case, parsed as file (head, then its lines), must be refused */
static inline void unit_refused(const char *file, const char *head,
				const struct refused *c, size_t n)
{
	static struct profile p;
	struct err e = { "" };
	char text[512];
	int ret;

	for (size_t i = 0; i < n; i++) {
		snprintf(text, sizeof(text), "%s%s", head, c[i].lines);
		ret = profile_parse_string(file, text, &p, &e);
		CHECK(c[i].name, ret && strstr(e.msg, c[i].want), "ret %d: %s",
		      ret, e.msg);
	}
}

#endif
