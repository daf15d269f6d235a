/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Labs: many nodes and the links between them in one file (docs/lab.md).
 * lab_parse() reads the file into struct lab; lab_compile() turns every node
 * into a struct profile (its base profile, the lab's overrides and one
 * [interface vecN] per link endpoint), so that each node then comes up
 * exactly like `umnet up` would bring up that profile.
 */
#ifndef UMNET_LAB_H
#define UMNET_LAB_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "util.h"

#define LAB_NAME_MAX 15 /* lab, node and link names */
/*
 * A lab has no limit on its nodes, links, tests, endpoints or keys short
 * of memory: every array below grows, and so do the lists of labs and of
 * a lab's processes (labrun.h).
 */

enum link_kind {
	LINK_WIRE,
	LINK_SWITCH,
	LINK_NETNS,
	LINK_GRE,
	LINK_L2TPV3,
	LINK_KIND_MAX,
};

struct lab_kv {
	char key[32];
	char value[OPT_VALUE_MAX];
	int line;
};

struct lab_endpoint {
	int node; /* index in lab->nodes */
	int vec; /* N of vecN; -1 until compiled when not given */
	struct ip_prefix addrs[MAX_ADDRS];
	int naddrs;
	int line;
	/* a segment across hosts: this end's UDP port on its host, 0: bess */
	unsigned int port;
};

struct lab_link {
	char name[LAB_NAME_MAX + 1];
	int line;
	enum link_kind kind;
	int kind_line; /* 0: chosen from the number of endpoints */
	struct lab_endpoint *eps;
	int neps, eps_cap;
	struct lab_kv *kvs; /* every other key, in file order */
	int nkvs, kvs_cap;
	/* derived (lab_compile) */
	uint32_t key; /* gre */
	uint32_t session[2], cookie[2]; /* l2tpv3: [0] local, [1] remote */
	char far_node[LAB_NAME_MAX + 1]; /* far-end = node NODE */
	struct impair impair; /* delay = ... (every endpoint's egress) */
	int impair_line; /* first impairment key, 0 = none */
	/* capture = yes: recorded from boot into a ring of pcap files */
	bool capture;
	unsigned long long capture_size; /* bytes per file */
	unsigned int capture_files;
	/*
	 * a wire between nodes on two hosts, or a segment whose nodes are on
	 * several (lab_hosts.c, docs/scale.md)
	 */
	bool cross;
	enum link_kind cross_kind; /* LINK_L2TPV3 (default) or LINK_GRE */
	/* l2tpv3: the UDP port, both ends; a segment: its switch's */
	unsigned int port;
	unsigned int mtu; /* the node side's MTU: underlay - overhead */
	int sw_host; /* a segment across hosts: its switch's (eps[0]'s) host */
};

/* capture = yes defaults: 4 files of 8 MiB each, the newest kept */
#define LAB_CAPTURE_SIZE_DEFAULT (8ULL << 20)
#define LAB_CAPTURE_FILES_DEFAULT 4
#define LAB_CAPTURE_SIZE_MAX (64ULL << 30)

/*
 * Does link l run through a switch of the lab (a segment, or a wire with
 * capture = yes, which the switch records)?
 */
bool lab_link_switched(const struct lab_link *l);
/* Is link l a socketpair wire (a wire without capture = yes)? */
bool lab_link_wired(const struct lab_link *l);
/* where link l of the lab in lab_dir records (capture = yes): DIR/capture/LINK.pcap */
int lab_capture_path(const char *lab_dir, const struct lab_link *l, char *out,
		     size_t len);

struct lab_node {
	char name[LAB_NAME_MAX + 1];
	int line;
	char profile[PATH_MAX]; /* base profile, absolute; "" = none */
	int profile_line;
	struct lab_kv *kvs; /* overrides, in file order */
	int nkvs, kvs_cap;
	struct profile *p; /* lab_compile */
	int host; /* index in lab->hosts (only when lab->nhosts) */
	int host_line; /* host = NAME; 0 = none */
	char host_name[LAB_NAME_MAX + 1];
};

/*
 * [host NAME]: a machine (or a namespace) that runs a share of the lab:
 * its nodes, and its ends of the wires to other hosts (docs/scale.md).
 */
struct lab_host {
	char name[LAB_NAME_MAX + 1];
	int line;
	struct ip_prefix addr; /* address = (the underlay); family 0: none */
	char netns[NETNS_NAME_MAX]; /* netns = ; "" = none */
	unsigned int mtu; /* mtu = ; 0: LAB_UNDERLAY_MTU */
	int mtu_line;
};

#define LAB_UNDERLAY_MTU 1500 /* a host without mtu = */
/* UDP ports of wires across hosts: base + hash % range, then the next free */
#define LAB_HOST_PORT_BASE 20000
#define LAB_HOST_PORT_RANGE 10000

enum lab_test_kind {
	TEST_REACH,
	TEST_NO_REACH,
	TEST_TCP,
	TEST_ROUTE,
	TEST_EXEC,
	TEST_RTT, /* rtt = A B < 50ms: ping's average */
	TEST_LOSS, /* loss = A B < 1%: of 100 pings */
	TEST_THROUGHPUT, /* throughput = A B > 20mbit: iperf3, 3 s */
	TEST_LINK_DOWN, /* steps, not tests: from here on */
	TEST_LINK_UP,
	TEST_LINK_SET,
	TEST_LINK_RESET,
};

static inline bool lab_test_is_step(enum lab_test_kind k)
{
	return k >= TEST_LINK_DOWN;
}

struct lab_test {
	enum lab_test_kind kind;
	const char *file; /* lab->path or lab->tests_path */
	int line;
	char text[OPT_VALUE_MAX + 40]; /* "reach r1 r3", as written */
	int wait_s; /* wait-for SECONDS: retry until then */
	char node_name[LAB_NAME_MAX + 1];
	int node; /* A / NODE, index (resolved after the whole file) */
	char target[OPT_VALUE_MAX]; /* B (node or address), PREFIX, LINK */
	int port;
	bool want_open;
	char via[64]; /* route: via X */
	char dev[IFNAMSIZ]; /* route: dev D */
	int exit_code;
	char match[OPT_VALUE_MAX]; /* exec: regex, "" = none */
	char cmd[OPT_VALUE_MAX]; /* exec: shell command */
	char cmp; /* rtt, loss, throughput: '<' or '>' */
	unsigned long long limit; /* us, thousandths of a %, bit/s */
	struct impair impair; /* link-set */
};

struct lab {
	char path[PATH_MAX]; /* the file (messages) */
	char dir[PATH_MAX]; /* relative paths are relative to this */
	char name[LAB_NAME_MAX + 1];
	unsigned long mem_mb; /* 0: the profile default */
	char tests_path[PATH_MAX];
	struct lab_node *nodes;
	int nnodes, nodes_cap;
	struct lab_link *links;
	int nlinks, links_cap;
	struct lab_test *tests;
	int ntests, tests_cap;
	struct lab_host *hosts; /* [host NAME] sections; none: one machine */
	int nhosts, hosts_cap;
	int here; /* the host whose share this is; -1: all (lab_host_pick) */
	/* bridged = yes nodes: their /30s come from here (lab_bridged.c) */
	struct ip_prefix bridged_subnet;
	int bridged_subnet_line; /* 0: the default, derived from the name */
	/*
	 * A lab made from another file (a Kathara lab.conf): that file, and
	 * for each line N of this lab's text (1..norigin) the origin's line
	 * it came from (0: none); lab_err_origin() tells messages by it.
	 */
	char origin[PATH_MAX];
	int *origin_map;
	int norigin;
	/*
	 * umnet node test, in one node's pod: link steps (link-down/up,
	 * link-set/reset) touch the endpoints whose nodes run here and keep no
	 * lab state (there is none); each endpoint's pod runs the step.
	 */
	bool pod_steps;
};

/*
 * bridged = yes and port = (lab_bridged.c, docs/lab.md): a node's link to
 * the host, NATed out through the host's default route, and host ports
 * forwarded to it.
 */
#define LAB_BRIDGED_POOL "198.18.0.0/15" /* RFC 2544: rarely in use */
#define LAB_PORT_HOST_DEFAULT 3000 /* as Kathara's */
struct lab_port {
	uint8_t proto; /* IPPROTO_TCP, _UDP, _SCTP */
	unsigned int host, guest;
};
/* "[HOST:]GUEST[/tcp|udp|sctp]": 0 or -EINVAL */
int lab_port_parse(const char *v, struct lab_port *p);
bool lab_node_bridged(const struct lab *lab, int node);
/*
 * The bridged node's /30: host (the gateway, on the host's veth end) and
 * guest (the node's address). -ENOENT: the node is not bridged.
 */
int lab_bridged_addrs(const struct lab *lab, int node, struct ip_prefix *host,
		      struct ip_prefix *guest);
/* the veth's host end of a bridged node: "ub" + 8 hex digits */
void lab_bridged_ifname(const struct lab *lab, int node, char *out, size_t len);
/* the lab's nf_tables table: "umnet-LAB" */
void lab_nat_table(const struct lab *lab, char *out, size_t len);

/*
 * Parse the lab at path (text: its content, NULL to read the file; dir:
 * the directory relative paths use, NULL for the file's own). Returns 0 or
 * -errno with e = "file:line: what is wrong (what to do)".
 */
int lab_parse(const char *path, const char *text, const char *dir,
	      struct lab *lab, struct err *e);
void lab_free(struct lab *lab);
/*
 * A message about line N of the text gen ("GEN:N: ...", and "line K" in
 * it) told at the origin's line map[N] instead: "ORIGIN:M: (line N of
 * the lab it makes) ...". Nothing changes if it is not about gen or N
 * has no origin line.
 */
void lab_msg_origin(const char *gen, const char *origin, const int *map,
		    int nmap, struct err *e);
/* lab_msg_origin() for a lab with an origin (lab->path's lines) */
void lab_err_origin(const struct lab *lab, struct err *e);

/*
 * Make each node's profile. gen_dir: where files made for the nodes go
 * (the far ends of tunnels built inside a node); NULL when nothing will
 * boot (status, graph): those files are then left out.
 */
int lab_compile(struct lab *lab, const char *gen_dir, struct err *e);

bool lab_name_valid(const char *s);
const char *link_kind_name(enum link_kind k);
int lab_node_find(const struct lab *lab, const char *name);
int lab_link_find(const struct lab *lab, const char *name);
const char *lab_kv(const struct lab_kv *kvs, int n, const char *key);
/*
 * The name of endpoint ep's interface inside its node (`rename =`, else
 * vecN): from the compiled profile, or in a lab read without compiling
 * (umnet node test) from the node's rename lines.
 */
const char *lab_ep_ifname(const struct lab *lab, const struct lab_endpoint *ep,
			  char *buf, size_t len);
/* "LAB.NODE": the node's name on the host */
void lab_node_hostname(const struct lab *lab, int node, char *out, size_t len);
/* the wire name of a link, the switch socket of a link */
void lab_wire_name(const struct lab *lab, const struct lab_link *l, char *out,
		   size_t len);
int lab_switch_path(const char *lab_dir, const struct lab_link *l, char *out,
		    size_t len);
/* STATE_ROOT/.labs/NAME */
int lab_state_dir(const char *name, char *out, size_t len);
/*
 * An address for node name or address s, as seen from node `from`: an
 * address is itself; a node is its address on a link shared with `from`
 * (shared = true), else its first loopback, else its first endpoint
 * address. -ENOENT if the node has none.
 */
int lab_resolve(const struct lab *lab, int from, const char *s, bool shared,
		char *out, size_t len);

/* ---- labs across hosts (lab_hosts.c, docs/scale.md) ------------------- */

/* is node (link: any endpoint) in this host's share (always: no hosts)? */
bool lab_node_here(const struct lab *lab, int node);
bool lab_link_here(const struct lab *lab, const struct lab_link *l);
int lab_host_find(const struct lab *lab, const char *name);
/* "a (10.0.0.1), b (10.0.0.2)": the hosts, for messages */
void lab_hosts_list(const struct lab *lab, char *out, size_t len);

/*
 * What both ends of an L2TPv3 link derive from the lab's and link's names,
 * without talking (lab export --kubernetes, wires across hosts): side 0 or
 * 1 (the endpoint's index) receives on its own session and cookie.
 */
uint32_t lab_derive(const char *lab, const char *link, const char *salt);
struct lab_l2tp_ids {
	uint32_t rx_session, tx_session, rx_cookie, tx_cookie;
};
void lab_l2tp_ids(const char *lab, const char *link, int side,
		  struct lab_l2tp_ids *ids);
/*
 * The same for endpoint ep of segment l reached over L2TPv3 (across hosts,
 * or a pod): side 0 is the segment's switch, side 1 the node.
 */
void lab_seg_ids(const char *lab, const struct lab_link *l, int ep, int side,
		 struct lab_l2tp_ids *ids);
/*
 * Does the switch of link l run in this share (a segment across hosts:
 * on its first endpoint's host)?
 */
bool lab_switch_here(const struct lab *lab, const struct lab_link *l);
/*
 * The bytes a wire across hosts adds to each frame, as UML's transport
 * writes it (arch/um/drivers/vector_transports.c): outer IPv4/IPv6 + UDP +
 * L2TPv3 (udp flags, session, 32-bit cookie) + the inner Ethernet header,
 * or outer IP + GRE with key + Ethernet.
 */
unsigned int lab_cross_overhead(enum link_kind kind, int family);
/*
 * Does test t run in this share (its node is here; a step: its link has an
 * end here)? Else the host it runs on.
 */
bool lab_test_here(const struct lab *lab, const struct lab_test *t);
const char *lab_test_host(const struct lab *lab, const struct lab_test *t);

#endif
