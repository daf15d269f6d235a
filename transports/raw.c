// SPDX-License-Identifier: GPL-2.0
/*
 * raw: an AF_PACKET socket bound to a host interface, usually the peer end of
 * a veth pair (vector_user.c: user_init_raw_fds). Needs CAP_NET_RAW.
 * host = veth creates the pair: ifname stays on the host for UML to bind to,
 * host-ifname is the far end, optionally moved into host-netns.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "transport.h"

static const struct opt_spec raw_keys[] = {
	{ .key = "ifname",
	  .type = OPT_IFNAME,
	  .min = 0,
	  .max = 0,
	  .help = "host interface to bind to" },
	{ .key = NULL },
};

static const enum host_kind raw_hosts[] = { HOST_VETH, HOST_NONE };

static int raw_validate(const struct profile *p, const struct iface *ifc,
			struct err *e)
{
	const char *ifname = iface_opt(ifc, "ifname");

	if (!ifname)
		return err_at(e, p->path, ifc->line,
			      "vec%d: raw needs ifname = <host interface> (the veth end UML binds to)",
			      ifc->index),
		       -EINVAL;
	if (ifc->host == HOST_VETH) {
		if (!ifc->host_ifname[0])
			return err_at(e, p->path, ifc->host_line,
				      "vec%d: host = veth needs host-ifname = <name of the far end>",
				      ifc->index),
			       -EINVAL;
		if (!strcmp(ifc->host_ifname, ifname))
			return err_at(e, p->path, ifc->host_line,
				      "vec%d: host-ifname must differ from ifname (%s): they are the two ends of the veth pair",
				      ifc->index, ifname),
			       -EINVAL;
	}
	return 0;
}

static int raw_host_plan(const struct profile *p, const struct iface *ifc,
			 struct plan *plan, struct err *e)
{
	const char *ns = ifc->host_netns;
	struct action a = { 0 };
	int i, ret;

	(void)e;
	if (ifc->host != HOST_VETH)
		return 0;
	snprintf(a.owner, sizeof(a.owner), "%s vec%d", p->name, ifc->index);
	a.phase = PHASE_PRE_BOOT;
	if (ns[0]) {
		a.kind = ACT_NETNS_ADD;
		strscpy(a.netns, ns, sizeof(a.netns));
		if ((ret = plan_add(plan, &a)))
			return ret;
	}
	a.kind = ACT_VETH_ADD;
	a.netns[0] = '\0';
	strscpy(a.ifname, iface_opt(ifc, "ifname"), sizeof(a.ifname));
	strscpy(a.peer, ifc->host_ifname, sizeof(a.peer));
	if ((ret = plan_add(plan, &a)))
		return ret;
	a.kind = ACT_LINK_UP;
	if ((ret = plan_add(plan, &a)))
		return ret;
	strscpy(a.ifname, ifc->host_ifname, sizeof(a.ifname));
	a.peer[0] = '\0';
	if (ns[0]) {
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

const struct transport transport_raw = {
	.name = "raw",
	.summary = "AF_PACKET socket on a host interface (veth pair)",
	.keys = raw_keys,
	.host_kinds = raw_hosts,
	.uml_needs = NEED_NET_RAW,
	.validate = raw_validate,
	.host_plan = raw_host_plan,
};
