// SPDX-License-Identifier: GPL-2.0
/*
 * raw: an AF_PACKET socket bound to a host interface, usually the peer end of
 * a veth pair (vector_user.c: user_init_raw_fds). Needs CAP_NET_RAW.
 * host = veth creates the pair: ifname stays on the host for UML to bind to,
 * host-ifname is the far end, optionally moved into host-netns.
 * filter = a pcap expression, compiled to the node's vecN.bpf (bpffile=).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "bpf.h"
#include "raw.h"

static const struct opt_spec raw_keys[] = {
	{ .key = "ifname",
	  .type = OPT_IFNAME,
	  .min = 0,
	  .max = 0,
	  .help = "host interface to bind to" },
	RAW_FILTER_OPT,
	{ .key = NULL },
};

int raw_node_mac(const struct profile *p, const struct iface *ifc,
		 char mac[MAC_STR_LEN])
{
	const char *given = iface_opt(ifc, "mac");

	if (given)
		return strscpy(mac, given, MAC_STR_LEN);
	node_mac(p->name, ifc->index, mac);
	return 0;
}

int raw_filter_validate(const struct profile *p, const struct iface *ifc,
			struct err *e)
{
	const char *filter = iface_opt(ifc, "filter");
	struct cbpf_prog prog;
	struct err pe;
	int ret;

	if (!filter)
		return 0;
	if (iface_opt(ifc, "bpffile"))
		return errf_at(
			e, -EINVAL, p->path, iface_opt_line(ifc, "bpffile"),
			"vec%d: bpffile and filter exclude each other: filter = is compiled into the node's own bpffile; remove one of them",
			ifc->index);
	ret = cbpf_compile(filter, &prog, &pe);
	if (ret)
		return errf_at(
			e, ret, p->path, iface_opt_line(ifc, "filter"),
			"vec%d: filter = %s: %s (the syntax is pcap-filter(7), as for tcpdump)",
			ifc->index, filter, pe.msg);
	cbpf_free(&prog);
	return 0;
}

static int filter_path(const struct iface *ifc, const struct node_paths *np,
		       char *out, size_t len)
{
	return path_fmt(out, len, "%s/vec%d.bpf", np->jaildir, ifc->index);
}

int raw_filter_prepare(const struct profile *p, const struct iface *ifc,
		       const struct node_paths *np, struct fd_pass *pass,
		       struct err *e)
{
	const char *filter = iface_opt(ifc, "filter");
	struct cbpf_prog prog = { 0 };
	char path[PATH_MAX], mac[MAC_STR_LEN];
	struct err pe;
	int ret;

	(void)pass;
	if (!filter)
		return 0;
	ret = filter_path(ifc, np, path, sizeof(path));
	if (!ret)
		ret = raw_node_mac(p, ifc, mac);
	if (ret)
		return errf(e, ret, "%s: vec%d: %s", p->name, ifc->index,
			    strerror(-ret));
	ret = cbpf_compile_node(filter, mac, &prog, &pe);
	if (!ret)
		ret = cbpf_write(path, &prog, &pe);
	if (ret)
		ret = errf_at(e, ret, p->path, iface_opt_line(ifc, "filter"),
			      "vec%d: filter: %s", ifc->index, pe.msg);
	cbpf_free(&prog);
	return ret;
}

int raw_filter_render(const struct profile *p, const struct iface *ifc,
		      const struct node_paths *np, struct strbuf *sb)
{
	char path[PATH_MAX], mac[MAC_STR_LEN];
	int ret;

	if (!iface_opt(ifc, "filter"))
		return 0;
	ret = filter_path(ifc, np, path, sizeof(path));
	if (ret)
		return ret;
	if (!iface_opt(ifc, "mac")) {
		ret = raw_node_mac(p, ifc, mac);
		if (ret)
			return ret;
		sb_printf(sb, ",mac=%s", mac);
	}
	sb_printf(sb, ",bpffile=%s", path);
	return sb->oom ? -ENOMEM : 0;
}

/*
 * The host side of raw (a veth), tap and hybrid (a tap) passes TSO/GRO
 * frames of up to 64 KiB. Without gro = 1 the node reads them into
 * MTU-sized buffers and drops them: one-hop TCP from a namespace through a
 * raw or tap router without gro carried 0.00 Gbit/s (a few hundred frames
 * in 5 s), with gro = 1 10-13 Gbit/s (docs/performance.md, "Forwarding,
 * round 2"). So umnet renders gro=1 unless the profile says gro = 0.
 * raw, tap and hybrid have at most 10 kernel keys, so the pair stays
 * within the kernel's VECTOR_MAX_ARGS.
 */
int raw_gro_render(const struct iface *ifc, struct strbuf *sb)
{
	if (!iface_opt(ifc, "gro"))
		sb_printf(sb, ",gro=1");
	return sb->oom ? -ENOMEM : 0;
}

int raw_render_extra(const struct profile *p, const struct iface *ifc,
		     const struct node_paths *np, struct strbuf *sb)
{
	int ret = raw_gro_render(ifc, sb);

	return ret ? ret : raw_filter_render(p, ifc, np, sb);
}

static const enum host_kind raw_hosts[] = { HOST_VETH, HOST_NONE };

static int raw_validate(const struct profile *p, const struct iface *ifc,
			struct err *e)
{
	const char *ifname = iface_opt(ifc, "ifname");

	if (!ifname)
		return errf_at(
			e, -EINVAL, p->path, ifc->line,
			"vec%d: raw needs ifname = <host interface> (the veth end UML binds to)",
			ifc->index);
	if (ifc->host == HOST_VETH) {
		if (!ifc->host_ifname[0])
			return errf_at(
				e, -EINVAL, p->path, ifc->host_line,
				"vec%d: host = veth needs host-ifname = <name of the far end>",
				ifc->index);
		if (!strcmp(ifc->host_ifname, ifname))
			return errf_at(
				e, -EINVAL, p->path, ifc->host_line,
				"vec%d: host-ifname must differ from ifname (%s): they are the two ends of the veth pair",
				ifc->index, ifname);
	}
	return raw_filter_validate(p, ifc, e);
}

static int raw_host_plan(const struct profile *p, const struct iface *ifc,
			 struct plan *plan, struct err *e)
{
	const char *ns = ifc->host_netns;
	struct action a;
	int ret;

	if (ifc->host != HOST_VETH)
		return 0;
	host_action_init(p, ifc, &a);
	if ((ret = host_plan_netns(ifc, &a, plan, e)))
		return ret;
	a.kind = ACT_VETH_ADD;
	a.netns[0] = '\0';
	strscpy(a.ifname, iface_opt(ifc, "ifname"), sizeof(a.ifname));
	strscpy(a.peer, ifc->host_ifname, sizeof(a.peer));
	if ((ret = host_plan_add(plan, &a, e)))
		return ret;
	a.kind = ACT_LINK_UP;
	if ((ret = host_plan_add(plan, &a, e)))
		return ret;
	strscpy(a.ifname, ifc->host_ifname, sizeof(a.ifname));
	a.peer[0] = '\0';
	if (ns[0]) {
		a.kind = ACT_LINK_NETNS;
		strscpy(a.target, ns, sizeof(a.target));
		if ((ret = host_plan_add(plan, &a, e)))
			return ret;
		strscpy(a.netns, ns, sizeof(a.netns));
		a.target[0] = '\0';
	}
	return plan_add_host_side(ifc, &a, plan, e);
}

const struct transport transport_raw = {
	.name = "raw",
	.summary = "AF_PACKET socket on a host interface (veth pair)",
	.keys = raw_keys,
	.host_kinds = raw_hosts,
	.validate = raw_validate,
	.host_plan = raw_host_plan,
	RAW_SOCKET_OPS,
};
