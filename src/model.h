/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parsed model of an appliance profile. The profile file (profile.c) and
 * the command line fill these structs; everything downstream (transports,
 * host plan, config drive, supervisor) reads only these structs.
 */
#ifndef UMNET_MODEL_H
#define UMNET_MODEL_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <sys/types.h>

#include "impair.h"
#include "netstack.h"

#define NODE_NAME_MAX 32
#define MAX_IFACES 16
#define MAX_OPTS 24
#define MAX_ADDRS 8
#define MAX_LIST 32
#define OPT_VALUE_MAX 256
#define NETNS_NAME_MAX 64

struct transport;

/* one `key = value` of an [interface] section that goes to the kernel */
struct vec_opt {
	char key[32];
	char value[OPT_VALUE_MAX];
	int line;
};

enum host_kind {
	HOST_NONE = 0, /* bind to an existing host interface, create nothing */
	HOST_VETH, /* raw: create a veth pair, UML binds to ifname */
	HOST_TAP, /* tap: create a persistent tap owned by the UML uid */
	HOST_GRETAP, /* gre: create the host's gretap peer */
	HOST_L2TP, /* l2tpv3: create the host's l2tp tunnel and session */
	HOST_WIRE, /* fd: a socketpair shared with another node */
	HOST_KIND_MAX,
};

/* a line of text with the line it came from, for repeated keys */
struct text_item {
	char text[OPT_VALUE_MAX];
	int line;
};

/* a route on the host side: "DST via GW", DST a prefix or default */
struct host_route {
	struct ip_prefix dst; /* family 0: default */
	struct ip_prefix gw;
	int line;
};

struct iface {
	int index; /* N of vecN */
	int line; /* line of the [interface vecN] header */
	const struct transport *transport;
	int transport_line;
	struct vec_opt opts[MAX_OPTS]; /* kernel options, in file order */
	int nopts;
	struct ip_prefix addrs[MAX_ADDRS]; /* configured inside the node */
	int naddrs;
	/* host side */
	enum host_kind host;
	int host_line;
	char host_ifname[IFNAMSIZ];
	char host_netns[NETNS_NAME_MAX];
	char host_bridge[IFNAMSIZ]; /* existing bridge the host side joins */
	struct ip_prefix host_addrs[MAX_ADDRS];
	int nhost_addrs;
	struct host_route host_routes[MAX_ADDRS]; /* in host-netns */
	int nhost_routes;
	/* delay, loss, rate, ... on the node's egress (impair.h) */
	struct impair impair;
	int impair_line; /* first impairment key, 0 = none */
};

/* a file copied into the node at boot: `file = SRC DEST` */
struct file_item {
	char src[PATH_MAX]; /* absolute, on the host */
	char dst[OPT_VALUE_MAX]; /* absolute, inside the node */
	int line;
};

#define MAX_FILES 16
#define MAX_NAMESERVERS 3 /* what libc's resolver reads */

/* an eBPF program attached at boot: xdp = vecN FILE [SECTION] (hook 0),
 * tc-bpf = vecN ingress|egress FILE [SECTION] (hook 1, 2) */
enum bpf_hook { BPF_HOOK_XDP, BPF_HOOK_INGRESS, BPF_HOOK_EGRESS };
struct bpf_item {
	int vec;
	enum bpf_hook hook;
	char src[PATH_MAX]; /* absolute, on the host */
	char section[64];
	int line;
};
#define MAX_BPF 8
/* `rename = vecN NAME [MAC]`: the interface's name (and MAC) in the node */
struct if_rename {
	int vec;
	char name[IFNAMSIZ];
	char mac[18]; /* "" = the driver's */
	int line;
};

struct profile {
	char path[PATH_MAX]; /* the file as given */
	char dir[PATH_MAX]; /* its directory, for relative paths */
	char name[NODE_NAME_MAX + 1];
	char hostname[NODE_NAME_MAX + 1]; /* "" = name */
	char netns[NETNS_NAME_MAX]; /* where UML runs; "" = umnet's netns */
	int netns_line;
	unsigned long mem_mb;
	bool forwarding;
	char disk[PATH_MAX]; /* persistent COW file, "" = ephemeral */
	char image[PATH_MAX]; /* base image: "" (minimal), "debian" or a path */
	struct text_item routes[MAX_LIST];
	int nroutes;
	struct text_item sysctls[MAX_LIST]; /* "key=value" */
	int nsysctls;
	struct text_item runs[MAX_LIST]; /* startup commands */
	int nruns;
	struct text_item daemons[MAX_LIST]; /* background commands */
	int ndaemons;
	struct ip_prefix loopbacks[MAX_ADDRS]; /* addresses on lo */
	int nloopbacks;
	/* nameserver =: the node's /etc/resolv.conf (none: left alone) */
	struct ip_prefix nameservers[MAX_NAMESERVERS];
	int nnameservers, nameserver_line;
	struct file_item files[MAX_FILES];
	int nfiles;
	struct bpf_item bpfs[MAX_BPF];
	int nbpfs;
	struct if_rename renames[MAX_IFACES];
	int nrenames;
	struct iface ifaces[MAX_IFACES];
	int nifaces;
	char ruleset[PATH_MAX]; /* absolute path of the nft ruleset, or "" */
	int forwarding_line, ruleset_line;
	/* set by node_jail_ids(): the host ids the node runs as */
	bool run_ids;
	uid_t run_uid;
	gid_t run_gid;
};

/* look up an option's value in an interface, NULL when absent */
const char *iface_opt(const struct iface *ifc, const char *key);
/* the name of vecN inside the node (`rename =`, else "vecN") in buf */
const char *profile_ifname(const struct profile *p, int vec, char *buf,
			   size_t len);
/* the MAC `rename =` gives vecN, NULL when none */
const char *profile_ifmac(const struct profile *p, int vec);
const char *host_kind_name(enum host_kind k);

#endif
