/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vector transport (arch/um/drivers/vector_*.c): its option schema, how it
 * renders the vecN: string the kernel parses, the host-side objects it needs,
 * and the privileges that takes. One file per transport, collected in
 * transports[] (transport.c).
 */
#ifndef UMNET_TRANSPORT_H
#define UMNET_TRANSPORT_H

#include <stdint.h>

#include "model.h"
#include "node.h"
#include "plan.h"
#include "util.h"

/*
 * How the kernel reads each value (vector_kern.c, vector_transports.c,
 * vector_user.c); umnet accepts exactly that syntax, within [min, max].
 * Every value that reaches the kernel is also free of whitespace, control
 * bytes, quotes, ',' and '=' (see opt_check).
 */
enum opt_type {
	OPT_UINT, /* kstrtoul(v, 10): decimal, in [min, max] */
	OPT_INT, /* kstrtoint(v, 0): 0x hex, 0 octal, decimal; [min, max] */
	OPT_ULONG, /* kstrtoul(v, 0): 0x hex, 0 octal, decimal; 64 bits */
	OPT_BOOL01, /* exactly 0 or 1 */
	OPT_IFNAME, /* an interface name: [A-Za-z0-9_.-], 1-15 bytes */
	OPT_MAC, /* unicast xx:xx:xx:xx:xx:xx */
	OPT_PATH, /* a file path */
	OPT_ADDR, /* an IPv4 or IPv6 address */
	OPT_STRING, /* any text (local keys only: never rendered) */
};

/*
 * The vector driver parses at most this many key=value pairs per vecN
 * (vector_user.h MAXVARGS), "transport=" included, and writes past its
 * array beyond that.
 */
#define VECTOR_MAX_ARGS 20
/* pairs render_extra may add (mac + bpffile, fd + mac, src + dst) */
#define VECTOR_EXTRA_ARGS 2
/* bytes a vector value must not contain besides cmdline_unsafe()'s */
#define VECTOR_FORBID ",="

struct opt_spec {
	const char *key;
	enum opt_type type;
	unsigned long min, max;
	const char *help;
	/* umnet's own key (e.g. filter =): checked, never passed to UML */
	bool local;
};

/* capability bits a transport's kernel side or host side needs */
#define NEED_NET_RAW (1u << 0)
#define NEED_NET_ADMIN (1u << 1)

struct fd_pass; /* supervisor.h */
struct tunnel_rules; /* ip_tunnel.h */

struct transport {
	const char *name;
	const char *summary;
	/* keys of this transport, beyond the common ones; NULL-terminated */
	const struct opt_spec *keys;
	/* the host = values it accepts (NULL-terminated), besides "none" */
	const enum host_kind *host_kinds;
	/* privileges the UML process needs to open the transport */
	unsigned int uml_needs;
	/* optional: the same, when it depends on the interface's options */
	unsigned int (*needs)(const struct iface *ifc);
	/* extra checks after every key was checked against the schema */
	int (*validate)(const struct profile *p, const struct iface *ifc,
			struct err *e);
	/* gre, l2tpv3: what tunnel_validate checks (ip_tunnel.h) */
	const struct tunnel_rules *tunnel;
	/* host-side objects created before boot (and after: see plan.h) */
	int (*host_plan)(const struct profile *p, const struct iface *ifc,
			 struct plan *plan, struct err *e);
	/*
	 * Optional: files the kernel options will name, made in the node's
	 * state dir (np->dir) by `umnet up` before UML starts, and fds the
	 * UML process inherits (added to pass, see supervisor.h).
	 */
	int (*prepare)(const struct profile *p, const struct iface *ifc,
		       const struct node_paths *np, struct fd_pass *pass,
		       struct err *e);
	/*
	 * Optional: kernel options computed from the node (e.g. a bpffile in
	 * its state dir), appended as ",key=value" after the profile's keys.
	 */
	int (*render_extra)(const struct profile *p, const struct iface *ifc,
			    const struct node_paths *np, struct strbuf *sb);
};

extern const struct transport transport_raw;
extern const struct transport transport_tap;
extern const struct transport transport_hybrid;
extern const struct transport transport_fd;
extern const struct transport transport_bess;
extern const struct transport transport_gre;
extern const struct transport transport_l2tpv3;

/* options every transport accepts (vector_kern.c) */
extern const struct opt_spec common_opts[];

const struct transport *transport_find(const char *name);
/* the comma-separated list of known transport names, for hints */
const char *transport_names(void);
/* find the schema entry for key in t (or the common keys), NULL if none */
const struct opt_spec *transport_opt(const struct transport *t,
				     const char *key);
/* check value against spec; on error fill e with "must be ..." text only */
int opt_check(const struct opt_spec *spec, const char *value, struct err *e);
/*
 * The value of a numeric key as the kernel reads it (OPT_UINT, OPT_INT,
 * OPT_ULONG), after opt_check passed; 0 when absent or not numeric.
 */
unsigned long long iface_num(const struct iface *ifc, const char *key);
/* closest key name of t for a did-you-mean hint, or NULL */
const char *transport_suggest(const struct transport *t, const char *key);

/* "xx:xx:xx:xx:xx:xx" plus NUL */
#define MAC_STR_LEN 18

/*
 * A stable MAC for vecN of a node: locally administered, unicast, from
 * SHA-256("NODE/vecN"), as "xx:xx:xx:xx:xx:xx" (MAC_STR_LEN with the NUL).
 * The same node comes back with the same MAC, so its neighbours' ARP
 * caches stay right across restarts.
 */
void node_mac(const char *node, int vec, char out[MAC_STR_LEN]);

/*
 * The checks of a tap host side (transports tap and hybrid): no host-netns
 * (a tap cannot follow UML into another namespace), no host-ifname.
 */
int tap_check_host(const struct profile *p, const struct iface *ifc,
		   struct err *e);

/* the line of key in ifc, or the [interface] header line when absent */
int iface_opt_line(const struct iface *ifc, const char *key);

/* the start of a host side: owner "NODE vecN", PHASE_PRE_BOOT, the rest 0 */
void host_action_init(const struct profile *p, const struct iface *ifc,
		      struct action *a);
/* plan_add for a host side: a failure says whose (a->owner) in e */
int host_plan_add(struct plan *plan, const struct action *a, struct err *e);
/*
 * ACT_NETNS_ADD of ifc's host-netns, like a (whose kind and netns it sets),
 * when it has one; nothing otherwise
 */
int host_plan_netns(const struct iface *ifc, struct action *a,
		    struct plan *plan, struct err *e);
/*
 * append the end of every host side, like tmpl (which names the host-side
 * interface and its netns): its host-addresses, link up, then what
 * plan_add_routes adds
 */
int plan_add_host_side(const struct iface *ifc, const struct action *tmpl,
		       struct plan *plan, struct err *e);
/*
 * append what every host side gets after it is up, like tmpl: joining
 * host-bridge (ACT_LINK_MASTER), then the host-routes (ACT_ROUTE_ADD)
 */
int plan_add_routes(const struct iface *ifc, const struct action *tmpl,
		    struct plan *plan, struct err *e);

/*
 * render "vecN:transport=...,k=v,..." for one interface: the profile's
 * kernel keys in file order, then the transport's render_extra
 */
int transport_render(const struct profile *p, const struct iface *ifc,
		     const struct node_paths *np, struct strbuf *sb);

#endif
