/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks shared by the IP tunnel transports (gre.c, l2tpv3.c): their
 * endpoints (src, dst, v6) and the paired keys the kernel reads only
 * together (vector_user.c user_init_socket_fds, vector_transports.c).
 */
#ifndef UMNET_IP_TUNNEL_H
#define UMNET_IP_TUNNEL_H

#include "transport.h"

/* the option is present and its value is "1" */
bool tunnel_opt_on(const struct iface *ifc, const char *key);

/*
 * src and dst are present and both of the family v6 selects: the kernel
 * resolves them with getaddrinfo(AF_INET or AF_INET6 by v6), so an address
 * of the other family fails at boot.
 */
int tunnel_check_endpoints(const struct profile *p, const struct iface *ifc,
			   struct err *e);

/*
 * a and b come together or not at all; what explains why, e.g. "GRE keys";
 * the kernel ignores or rejects one without the other.
 */
int tunnel_check_pair(const struct profile *p, const struct iface *ifc,
		      const char *a, const char *b, const char *what,
		      struct err *e);

/*
 * What gre and l2tpv3 check alike, in this order: the endpoints; both ids
 * given (when required: e.g. "session ids"); rx and tx together (what
 * they are, e.g. "GRE keys"); the transport's own checks (extra, may be
 * NULL); pin only with base = 1; follow = 1 only with secret set; host = host_kind (named host, e.g.
 * "gretap") with host-ifname = the name of the host's device.
 */
struct tunnel_rules {
	const char *rx, *tx, *pair, *required;
	/* what makes a received packet ours beyond the ids (follow = 1) */
	const char *secret;
	int (*extra)(const struct profile *p, const struct iface *ifc,
		     struct err *e);
	const char *pin, *base;
	enum host_kind host_kind;
	const char *host, *device;
};

/* the .validate of a transport with .tunnel rules */
int tunnel_validate(const struct profile *p, const struct iface *ifc,
		    struct err *e);

/*
 * The host's end of the tunnel, as the far end of the node's: its local
 * address is the node's dst, its remote the node's src.
 */
int tunnel_host_ends(const struct profile *p, const struct iface *ifc,
		     struct ip_prefix *local, struct ip_prefix *remote,
		     struct err *e);

#endif
