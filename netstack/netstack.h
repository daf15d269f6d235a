/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netstack: host-side network plumbing through netlink (libmnl).
 *
 * Every function returns 0 (or a non-negative value where documented) on
 * success and -errno on failure; nothing here prints. When the kernel sent an
 * extended ACK message with an error, nl_errmsg() returns it until the next
 * request on the same handle.
 *
 * A handle is bound to one network namespace: the one named at nl_open(), or
 * the caller's when the name is NULL. Requests on it act in that namespace.
 * A handle must not be used by two threads at once. Functions taking an
 * interface name return -EINVAL when !ifname_valid(name).
 */
#ifndef UMNET_NETSTACK_H
#define UMNET_NETSTACK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

#define NETNS_RUN_DIR "/run/netns"

/* an address with prefix length, e.g. 10.1.0.2/24 or fd00::1/64 */
struct ip_prefix {
	int family; /* AF_INET or AF_INET6; 0 = unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	} addr;
	int len; /* prefix length */
};

/*
 * Parse "A.B.C.D/N" or "X::Y/N". The prefix length is required when
 * need_len is true; when absent it defaults to the full length (32/128).
 * Returns 0 or -EINVAL.
 */
int ip_prefix_parse(const char *s, bool need_len, struct ip_prefix *out);
/*
 * canonical text form "10.1.0.2/24" into buf (at least 64 bytes); returns buf,
 * which holds "" when p is unset or buf too small (never NULL)
 */
const char *ip_prefix_str(const struct ip_prefix *p, char *buf, size_t len);

/* named network namespaces, compatible with ip-netns(8) (/run/netns/NAME) */
int netns_add(const char *name); /* -EEXIST if it exists */
int netns_del(const char *name); /* -ENOENT if it does not exist */
bool netns_exists(const char *name);
/*
 * The name of the named namespace the calling thread is in, in out: 0, or
 * -ENOENT when it has none (the host's, i.e. pid 1's, even if bound to a
 * name; or an unnamed one).
 */
int netns_current(char *out, size_t len);
/* open /run/netns/NAME (O_RDONLY|O_CLOEXEC); returns the fd or -errno */
int netns_open(const char *name);
/*
 * Run fn(arg) with the calling thread switched into netns NAME, then switch
 * back. Returns fn's return value, or -errno if switching failed. NAME NULL:
 * just call fn in the current netns.
 */
int netns_run(const char *name, int (*fn)(void *), void *arg);

struct nl;
/* open a rtnetlink handle in netns NAME (NULL: the caller's netns) */
int nl_open(struct nl **out, const char *netns);
void nl_close(struct nl *nl); /* accepts NULL */
/* the kernel's extended-ACK text for the last failed request, or "" */
const char *nl_errmsg(const struct nl *nl);

/* links */
int link_index(struct nl *nl, const char *ifname); /* ifindex or -ENODEV */
bool link_exists(struct nl *nl, const char *ifname);
int link_add_veth(struct nl *nl, const char *ifname, const char *peer);
int link_del(struct nl *nl, const char *ifname); /* -ENODEV if absent */
int link_set_up(struct nl *nl, const char *ifname, bool up);
int link_set_mtu(struct nl *nl, const char *ifname, unsigned int mtu);
/* enslave ifname to master (e.g. a bridge); -ENODEV if either is absent */
int link_set_master(struct nl *nl, const char *ifname, const char *master);
/*
 * move ifname from this handle's netns into netns NAME (NULL: into the
 * calling thread's current netns)
 */
int link_set_netns(struct nl *nl, const char *ifname, const char *netns);
/*
 * Create a persistent tap device (TUNSETIFF + TUNSETPERSIST) owned by uid
 * and gid in the netns of the handle. -EEXIST if a link of that name exists.
 */
int tap_add(struct nl *nl, const char *ifname, uid_t owner, gid_t group);

/* addresses and routes */
int addr_add(struct nl *nl, const char *ifname, const struct ip_prefix *p);
int addr_del(struct nl *nl, const char *ifname, const struct ip_prefix *p);
/* route to dst (NULL = default) via gw (may be NULL) and/or out dev ifname */
int route_add(struct nl *nl, const struct ip_prefix *dst,
	      const struct ip_prefix *gw, const char *ifname);

/* the name is a valid Linux interface name (1..15 chars, no '/', ':', space) */
bool ifname_valid(const char *name);

#endif
