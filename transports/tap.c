// SPDX-License-Identifier: GPL-2.0
/*
 * tap: a persistent tap device opened by name (vector_user.c:
 * user_init_tap_fds). host = tap creates it, owned by the uid that runs UML,
 * so UML itself needs no privileges. With host-netns the tap is moved into
 * that namespace after UML attached to it (it keeps working there).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "transport.h"

static const struct opt_spec tap_keys[] = {
	{ "ifname", OPT_IFNAME, 0, 0, "the tap device's name" },
	{ NULL, 0, 0, 0, NULL },
};

static const enum host_kind tap_hosts[] = { HOST_TAP, HOST_NONE };

static int tap_validate(const struct profile *p, const struct iface *ifc,
			struct err *e)
{
	if (!iface_opt(ifc, "ifname"))
		return err_at(e, p->path, ifc->line,
			      "vec%d: tap needs ifname = <tap device>",
			      ifc->index),
		       -EINVAL;
	if (ifc->host == HOST_TAP && ifc->host_ifname[0])
		return err_at(e, p->path, ifc->host_line,
			      "vec%d: host-ifname is not used with host = tap: the tap itself (ifname) is the host side; remove host-ifname",
			      ifc->index),
		       -EINVAL;
	return 0;
}

static int tap_host_plan(const struct profile *p, const struct iface *ifc,
			 struct plan *plan, struct err *e)
{
	const char *ns = ifc->host_netns;
	struct action a = { 0 };
	int i, ret;

	(void)e;
	if (ifc->host != HOST_TAP)
		return 0;
	snprintf(a.owner, sizeof(a.owner), "%s vec%d", p->name, ifc->index);
	a.phase = PHASE_PRE_BOOT;
	if (ns[0]) {
		a.kind = ACT_NETNS_ADD;
		strscpy(a.netns, ns, sizeof(a.netns));
		if ((ret = plan_add(plan, &a)))
			return ret;
		a.netns[0] = '\0';
	}
	a.kind = ACT_TAP_ADD;
	strscpy(a.ifname, iface_opt(ifc, "ifname"), sizeof(a.ifname));
	a.uid = getuid();
	a.gid = getgid();
	if ((ret = plan_add(plan, &a)))
		return ret;
	if (ns[0]) {
		/* UML opens the tap by name in its own netns: move it after */
		a.phase = PHASE_POST_BOOT;
		a.kind = ACT_LINK_NETNS;
		strscpy(a.target, ns, sizeof(a.target));
		if ((ret = plan_add(plan, &a)))
			return ret;
		strscpy(a.netns, ns, sizeof(a.netns));
		a.target[0] = '\0';
	}
	for (i = 0; i < ifc->nhost_addrs; i++) {
		a.kind = ACT_ADDR_ADD;
		a.addr = ifc->host_addrs[i];
		if ((ret = plan_add(plan, &a)))
			return ret;
	}
	a.kind = ACT_LINK_UP;
	if ((ret = plan_add(plan, &a)))
		return ret;
	return plan_add_routes(ifc, &a, plan);
}

const struct transport transport_tap = {
	.name = "tap",
	.summary = "persistent tap device",
	.keys = tap_keys,
	.host_kinds = tap_hosts,
	.uml_needs = 0,
	.validate = tap_validate,
	.host_plan = tap_host_plan,
};
