/* SPDX-License-Identifier: GPL-2.0 */
/* A profile's host plan and the privileges it takes (core, never prints). */
#ifndef UMNET_HOSTPLAN_H
#define UMNET_HOSTPLAN_H

#include <stdbool.h>

#include "model.h"
#include "plan.h"
#include "util.h"

/* the host plan of every interface of a profile */
int profile_plan(const struct profile *p, struct plan *plan, struct err *e);
/* privileges the profile needs (NEED_* bits) */
unsigned int profile_needs(const struct profile *p, const struct plan *plan);
/* whether we have them; e names the first missing one and what avoids it */
int check_privileges(const struct profile *p, const struct plan *plan,
		     struct err *e);
/* capability cap (CAP_*) is in our effective set */
bool have_cap(int cap);

#endif
