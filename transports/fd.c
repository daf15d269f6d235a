// SPDX-License-Identifier: GPL-2.0
/*
 * fd: vector I/O (recvmmsg/sendmmsg) on a socket UML inherits
 * (vector_user.c: user_init_fd_fds). Two uses:
 *
 *   fd = N         a socket the caller of `umnet up` opened on fd N
 *   host = wire    a point-to-point link to another node, no privileges and
 *   wire = NAME    no host interfaces: the first node on wire NAME makes a
 *                  socketpair(AF_UNIX, SOCK_SEQPACKET), uses one end and keeps
 *                  the other open in its UML process; the second node takes
 *                  that end from it with pidfd_getfd(2).
 *
 * The wires themselves (socketpairs, the lab's keeper, its registry) are
 * src/wires.c.
 */
#include <errno.h>

#include "transport.h"
#include "wires.h"

static const struct opt_spec fd_keys[] = {
	{ .key = "fd",
	  .type = OPT_UINT,
	  .min = 3,
	  .max = 1023,
	  .help = "an inherited socket fd" },
	{ .key = "wire",
	  .type = OPT_STRING,
	  .help = "with host = wire: the wire's name",
	  .local = true },
	{ .key = NULL },
};

static const enum host_kind fd_hosts[] = { HOST_WIRE, HOST_NONE };

static int fd_validate(const struct profile *p, const struct iface *ifc,
		       struct err *e)
{
	const char *fd = iface_opt(ifc, "fd"), *wire = iface_opt(ifc, "wire");

	if (ifc->host == HOST_WIRE) {
		if (fd)
			return errf_at(
				e, -EINVAL, p->path, ifc->host_line,
				"vec%d: fd = is chosen by umnet with host = wire; remove it",
				ifc->index);
		if (!wire)
			return errf_at(
				e, -EINVAL, p->path, ifc->host_line,
				"vec%d: host = wire needs wire = <name> (the same name on both nodes)",
				ifc->index);
		if (!wire_name_valid(wire))
			return errf_at(
				e, -EINVAL, p->path, ifc->host_line,
				"vec%d: wire name \"%s\" is not valid: 1-32 letters, digits, '.', '_' or '-'",
				ifc->index, wire);
		return 0;
	}
	if (wire)
		return errf_at(e, -EINVAL, p->path, ifc->line,
			       "vec%d: wire = needs host = wire", ifc->index);
	if (!fd)
		return errf_at(
			e, -EINVAL, p->path, ifc->line,
			"vec%d: transport fd needs fd = N (an inherited socket) or host = wire",
			ifc->index);
	return 0;
}

static int fd_prepare(const struct profile *p, const struct iface *ifc,
		      const struct node_paths *np, struct fd_pass *pass,
		      struct err *e)
{
	if (ifc->host != HOST_WIRE)
		return 0;
	return wire_attach(p->name, ifc->index, iface_opt(ifc, "wire"), np,
			   pass, e);
}

static int fd_render_extra(const struct profile *p, const struct iface *ifc,
			   const struct node_paths *np, struct strbuf *sb)
{
	char mac[MAC_STR_LEN];

	(void)np;
	if (ifc->host != HOST_WIRE)
		return 0;
	sb_printf(sb, ",fd=%d", WIRE_FD_BASE + ifc->index);
	/* a stable MAC, so the peer's ARP entry survives a restart */
	if (!iface_opt(ifc, "mac")) {
		node_mac(p->name, ifc->index, mac);
		sb_printf(sb, ",mac=%s", mac);
	}
	/* both ends are umnet's UML: TSO frames with a virtio-net header */
	sb_puts(sb, ",vnet_hdr=1");
	return sb->oom ? -ENOMEM : 0;
}

const struct transport transport_fd = {
	.name = "fd",
	.summary = "a socket UML inherits; host = wire links two nodes",
	.keys = fd_keys,
	.host_kinds = fd_hosts,
	.uml_needs = 0,
	.validate = fd_validate,
	.prepare = fd_prepare,
	.render_extra = fd_render_extra,
};
