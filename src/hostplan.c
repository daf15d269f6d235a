// SPDX-License-Identifier: GPL-2.0
/*
 * A profile's host plan and the privileges it takes: what `umnet up`,
 * `umnet hostsetup` and labs check before anything is made.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hostplan.h"
#include "transport.h"

int profile_plan(const struct profile *p, struct plan *plan, struct err *e)
{
	int i, first = plan->n, ret;

	if (p->netns[0]) {
		struct action a = { .kind = ACT_NETNS_ADD,
				    .phase = PHASE_PRE_BOOT };

		strscpy(a.netns, p->netns, sizeof(a.netns));
		strscpy(a.owner, p->name, sizeof(a.owner));
		ret = plan_add(plan, &a);
		if (ret)
			return errf(e, ret, "%s: out of memory", p->path);
		first = plan->n;
	}
	for (i = 0; i < p->nifaces; i++) {
		const struct iface *ifc = &p->ifaces[i];

		if (!ifc->transport->host_plan)
			continue;
		ret = ifc->transport->host_plan(p, ifc, plan, e);
		if (ret)
			return ret;
	}
	/* a node run in a netns has its "host" side there */
	for (i = first; p->netns[0] && i < plan->n; i++)
		if (!plan->acts[i].netns[0])
			strscpy(plan->acts[i].netns, p->netns,
				sizeof(plan->acts[i].netns));
	return 0;
}

static unsigned int iface_needs(const struct iface *ifc)
{
	const struct transport *t = ifc->transport;

	return t->needs ? t->needs(ifc) : t->uml_needs;
}

unsigned int profile_needs(const struct profile *p, const struct plan *plan)
{
	unsigned int need = 0;
	int i;

	for (i = 0; i < p->nifaces; i++)
		need |= iface_needs(&p->ifaces[i]);
	if (plan->n)
		need |= NEED_NET_ADMIN;
	return need;
}

bool have_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { 0 };

	if (syscall(SYS_capget, &h, d) < 0)
		return geteuid() == 0;
	return d[cap / 32].effective & (1u << (cap % 32));
}

/* what to use instead of a transport that needs CAP_NET_RAW */
static const char *raw_alternative(const char *transport)
{
	if (!strcmp(transport, "gre"))
		return "use transport = l2tpv3 with udp = 1 (a plain UDP socket)";
	if (!strcmp(transport, "l2tpv3"))
		return "set udp = 1 (L2TPv3 over UDP needs no privilege)";
	return "use transport = tap on a tap you own (ip tuntap add NAME mode tap user YOU), or link nodes with fd wires (host = wire) or bess";
}

int check_privileges(const struct profile *p, const struct plan *plan,
		     struct err *e)
{
	unsigned int need = profile_needs(p, plan);
	int i;

	if ((need & NEED_NET_ADMIN) && !have_cap(CAP_NET_ADMIN))
		return errf(
			e, -EPERM,
			"%s: creating its host side (namespaces, veth pairs, taps) needs CAP_NET_ADMIN: run as root, or remove the host = lines and create the interfaces beforehand",
			p->path);
	if ((need & NEED_NET_RAW) && !have_cap(CAP_NET_RAW)) {
		const struct iface *ifc = NULL;

		for (i = 0; i < p->nifaces; i++)
			if (iface_needs(&p->ifaces[i]) & NEED_NET_RAW) {
				ifc = &p->ifaces[i];
				break;
			}
		if (!ifc)
			ifc = &p->ifaces[0];
		return errf_at(
			e, -EPERM, p->path, ifc->line,
			"vec%d: transport %s opens a raw socket and needs CAP_NET_RAW: run as root, or %s",
			ifc->index, ifc->transport->name,
			raw_alternative(ifc->transport->name));
	}
	return 0;
}
