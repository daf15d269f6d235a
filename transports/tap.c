// SPDX-License-Identifier: GPL-2.0
/*
 * tap: a persistent tap device opened by name (vector_user.c:
 * user_init_tap_fds). host = tap creates it, owned by the uid that runs UML,
 * so UML itself needs no privileges. The tap lives in the namespace umnet
 * runs in (see tap_check_host for why it cannot be moved).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "raw.h"
#include "transport.h"

static const struct opt_spec tap_keys[] = {
	{ .key = "ifname",
	  .type = OPT_IFNAME,
	  .min = 0,
	  .max = 0,
	  .help = "the tap device's name" },
	{ .key = NULL },
};

static const enum host_kind tap_hosts[] = { HOST_TAP, HOST_NONE };

int tap_check_host(const struct profile *p, const struct iface *ifc,
		   struct err *e)
{
	const char *t = ifc->transport->name;

	/*
	 * UML opens the tap by name, in its own netns, when the guest brings
	 * vecN up; moving the tap later sets it down for a moment, and one
	 * failed write puts the vector driver in a permanent error state
	 * (vector_kern.c: in_error). So the tap stays where UML runs.
	 */
	if (ifc->host_netns[0])
		return errf_at(
			e, -EINVAL, p->path, ifc->host_line,
			"vec%d: host-netns does not work with transport = %s: UML opens the tap in its own namespace and stops transmitting for good if it is moved; run umnet itself in that namespace (ip netns exec NS umnet up ...), or use transport = raw with host = veth",
			ifc->index, t);
	if (ifc->host == HOST_TAP && ifc->host_ifname[0])
		return errf_at(
			e, -EINVAL, p->path, ifc->host_line,
			"vec%d: host-ifname is not used with host = tap: the tap itself (ifname) is the host side; remove host-ifname",
			ifc->index);
	return 0;
}

static int tap_validate(const struct profile *p, const struct iface *ifc,
			struct err *e)
{
	if (!iface_opt(ifc, "ifname"))
		return errf_at(e, -EINVAL, p->path, ifc->line,
			       "vec%d: tap needs ifname = <tap device>",
			       ifc->index);
	return tap_check_host(p, ifc, e);
}

/* gro=1 unless given (raw.c: raw_gro_render) */
static int tap_render(const struct profile *p, const struct iface *ifc,
		      const struct node_paths *np, struct strbuf *sb)
{
	(void)p;
	(void)np;
	return raw_gro_render(ifc, sb);
}

static int tap_host_plan(const struct profile *p, const struct iface *ifc,
			 struct plan *plan, struct err *e)
{
	struct action a;
	int ret;

	if (ifc->host != HOST_TAP)
		return 0;
	host_action_init(p, ifc, &a);
	a.kind = ACT_TAP_ADD;
	strscpy(a.ifname, iface_opt(ifc, "ifname"), sizeof(a.ifname));
	/* owned by the uid UML runs as: the node's own when jailed */
	a.uid = p->run_ids ? p->run_uid : getuid();
	a.gid = p->run_ids ? p->run_gid : getgid();
	if ((ret = host_plan_add(plan, &a, e)))
		return ret;
	return plan_add_host_side(ifc, &a, plan, e);
}

const struct transport transport_tap = {
	.name = "tap",
	.summary = "persistent tap device",
	.keys = tap_keys,
	.host_kinds = tap_hosts,
	.uml_needs = 0,
	.validate = tap_validate,
	.host_plan = tap_host_plan,
	.render_extra = tap_render,
};
