// SPDX-License-Identifier: GPL-2.0
/* Checks shared by the gre and l2tpv3 transports (see ip_tunnel.h). */
#include <errno.h>
#include <arpa/inet.h>
#include <string.h>

#include "ip_tunnel.h"

bool tunnel_opt_on(const struct iface *ifc, const char *key)
{
	const char *v = iface_opt(ifc, key);

	return v && !strcmp(v, "1");
}

int tunnel_check_endpoints(const struct profile *p, const struct iface *ifc,
			   struct err *e)
{
	static const char *const keys[] = { "src", "dst" };
	static const char *const what[] = {
		"the local address the tunnel socket binds to",
		"the far end's address",
	};
	const char *name = ifc->transport->name;
	bool v6 = tunnel_opt_on(ifc, "v6");
	unsigned char buf[16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		const char *v = iface_opt(ifc, keys[i]);

		if (!v)
			return errf_at(e, -EINVAL, p->path, ifc->line,
				       "vec%d: %s needs %s = <address> (%s)",
				       ifc->index, name, keys[i], what[i]);
		if (!v6 && inet_pton(AF_INET, v, buf) != 1)
			return errf_at(
				e, -EINVAL, p->path,
				iface_opt_line(ifc, keys[i]),
				"vec%d: %s = %s is an IPv6 address but v6 is not 1: add v6 = 1 (and use IPv6 for both src and dst)",
				ifc->index, keys[i], v);
		if (v6 && inet_pton(AF_INET6, v, buf) != 1)
			return errf_at(
				e, -EINVAL, p->path,
				iface_opt_line(ifc, keys[i]),
				"vec%d: %s = %s is an IPv4 address but v6 = 1: use IPv6 addresses for src and dst, or remove v6",
				ifc->index, keys[i], v);
	}
	return 0;
}

int tunnel_check_pair(const struct profile *p, const struct iface *ifc,
		      const char *a, const char *b, const char *what,
		      struct err *e)
{
	const char *va = iface_opt(ifc, a), *vb = iface_opt(ifc, b);

	if (!va == !vb)
		return 0;
	if (!va) {
		const char *t = a;

		a = b;
		b = t;
	}
	return errf_at(
		e, -EINVAL, p->path, iface_opt_line(ifc, a),
		"vec%d: %s without %s: %s go in pairs (set both; this side's %s is the far side's %s)",
		ifc->index, a, b, what, a, b);
}

/* "pin" only means something when "base" = 1 */
static int tunnel_check_needs(const struct profile *p, const struct iface *ifc,
			      const char *pin, const char *base, struct err *e)
{
	if (tunnel_opt_on(ifc, pin) && !tunnel_opt_on(ifc, base))
		return errf_at(e, -EINVAL, p->path, iface_opt_line(ifc, pin),
			       "vec%d: %s = 1 has no effect without %s = 1",
			       ifc->index, pin, base);
	return 0;
}

int tunnel_validate(const struct profile *p, const struct iface *ifc,
		    struct err *e)
{
	const struct tunnel_rules *r = ifc->transport->tunnel;
	int ret;

	ret = tunnel_check_endpoints(p, ifc, e);
	if (ret)
		return ret;
	if (r->required && !iface_opt(ifc, r->rx) && !iface_opt(ifc, r->tx))
		return errf_at(
			e, -EINVAL, p->path, ifc->line,
			"vec%d: %s needs %s and %s (%s: this side's %s is the far side's %s)",
			ifc->index, ifc->transport->name, r->rx, r->tx,
			r->required, r->rx, r->tx);
	ret = tunnel_check_pair(p, ifc, r->rx, r->tx, r->pair, e);
	if (!ret && r->extra)
		ret = r->extra(p, ifc, e);
	if (!ret)
		ret = tunnel_check_needs(p, ifc, r->pin, r->base, e);
	if (!ret && tunnel_opt_on(ifc, "follow") && !iface_opt(ifc, r->secret))
		return errf_at(
			e, -EINVAL, p->path, iface_opt_line(ifc, "follow"),
			"vec%d: follow = 1 without %s: any host that sends a packet with the right ids would take the tunnel over; set %s (and the far end's)",
			ifc->index, r->secret, r->secret);
	if (!ret && tunnel_opt_on(ifc, "follow") && iface_opt(ifc, "vec") &&
	    !tunnel_opt_on(ifc, "vec"))
		return errf_at(
			e, -EINVAL, p->path, iface_opt_line(ifc, "vec"),
			"vec%d: follow = 1 needs vec = 1 (the kernel learns the far end's address on its vector receive path only)",
			ifc->index);
	if (!ret && ifc->host == r->host_kind && !ifc->host_ifname[0])
		return errf_at(
			e, -EINVAL, p->path, ifc->host_line,
			"vec%d: host = %s needs host-ifname = <name of the host's %s>",
			ifc->index, r->host, r->device);
	return ret;
}

int tunnel_host_ends(const struct profile *p, const struct iface *ifc,
		     struct ip_prefix *local, struct ip_prefix *remote,
		     struct err *e)
{
	if (ip_prefix_parse(iface_opt(ifc, "dst"), false, local) ||
	    ip_prefix_parse(iface_opt(ifc, "src"), false, remote))
		return errf_at(e, -EINVAL, p->path, ifc->line,
			       "vec%d: src and dst must be addresses",
			       ifc->index);
	return 0;
}
