// SPDX-License-Identifier: GPL-2.0
/*
 * hybrid: transmit by writing to a tap, receive through an AF_PACKET socket
 * bound to the same tap (vector_user.c: user_init_hybrid_fds), which gives
 * vector (recvmmsg) reception on a tap. Needs CAP_NET_RAW for the socket.
 * host = tap creates the tap exactly as transport tap does (its host plan
 * is reused as is); the same namespace restriction applies.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "raw.h"
#include "transport.h"

static const struct opt_spec hybrid_keys[] = {
	{ .key = "ifname",
	  .type = OPT_IFNAME,
	  .min = 0,
	  .max = 0,
	  .help = "the tap device's name" },
	RAW_FILTER_OPT,
	{ .key = NULL },
};

static const enum host_kind hybrid_hosts[] = { HOST_TAP, HOST_NONE };

static int hybrid_validate(const struct profile *p, const struct iface *ifc,
			   struct err *e)
{
	int ret;

	if (!iface_opt(ifc, "ifname"))
		return errf_at(
			e, -EINVAL, p->path, ifc->line,
			"vec%d: hybrid needs ifname = <tap device> (written to for transmit, read through a raw socket)",
			ifc->index);
	/* the tap (and the raw socket on it) live where UML runs */
	ret = tap_check_host(p, ifc, e);
	if (ret)
		return ret;
	return raw_filter_validate(p, ifc, e);
}

static int hybrid_host_plan(const struct profile *p, const struct iface *ifc,
			    struct plan *plan, struct err *e)
{
	/* the same persistent tap, owned by the UML uid */
	return transport_tap.host_plan(p, ifc, plan, e);
}

const struct transport transport_hybrid = {
	.name = "hybrid",
	.summary = "tap for transmit, raw socket on the tap for receive",
	.keys = hybrid_keys,
	.host_kinds = hybrid_hosts,
	.validate = hybrid_validate,
	.host_plan = hybrid_host_plan,
	RAW_SOCKET_OPS,
};
