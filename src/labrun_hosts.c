// SPDX-License-Identifier: GPL-2.0
/*
 * A lab across hosts on this machine (labrun.h, docs/scale.md): which
 * host's share a command handles (--host, the one recorded when the share
 * came up, else the host whose netns or address this is), entering that
 * host's netns, and what `lab up` checks before it makes anything: the
 * host's address is here, and the underlay carries the MTU the lab's
 * wires across hosts were compiled for. The options of the switch of a
 * segment across hosts: its UDP address and a remote port per end on
 * another host.
 */
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "labrun.h"
#include "labrun_int.h"
#include "switch.h"

/* STATE_ROOT/.labs/NAME/host: the host whose share is up here */
static int host_file(const char *name, char *out, size_t len)
{
	char dir[PATH_MAX];
	int ret = lab_state_dir(name, dir, sizeof(dir));

	return ret ? ret : path_fmt(out, len, "%s/host", dir);
}

int lab_host_recorded(const char *name, char *out, size_t len)
{
	char path[PATH_MAX], *text = NULL;
	int ret = host_file(name, path, sizeof(path));

	if (!ret)
		ret = read_file(path, &text, NULL);
	if (ret)
		return ret;
	strscpy(out, strtrim(text), len);
	free(text);
	return 0;
}

int lab_host_record(const struct lab *lab, struct err *e)
{
	char path[PATH_MAX], line[LAB_NAME_MAX + 2];
	int ret;

	if (!lab->nhosts || lab->here < 0)
		return 0;
	ret = host_file(lab->name, path, sizeof(path));
	snprintf(line, sizeof(line), "%s\n", lab->hosts[lab->here].name);
	if (!ret)
		ret = write_file(path, line, strlen(line), 0600);
	if (ret)
		return errf(e, ret, "lab %s: recording its host: %s", lab->name,
			    strerror(-ret));
	return 0;
}

static bool in_netns(const char *ns)
{
	char path[PATH_MAX];
	struct stat a, b;

	if (path_fmt(path, sizeof(path), "/run/netns/%s", ns) ||
	    stat(path, &a) || stat("/proc/self/ns/net", &b))
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static socklen_t sockaddr_of(const struct ip_prefix *a, unsigned int port,
			     struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = a->addr.v6;
		s6->sin6_port = htons(port);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_addr = a->addr.v4;
	s4->sin_port = htons(port);
	return sizeof(*s4);
}

/* a UDP socket bound to a:port; -errno: EADDRNOTAVAIL when a is not here */
static int bound_socket(const struct ip_prefix *a, unsigned int port)
{
	struct sockaddr_storage ss;
	socklen_t n = sockaddr_of(a, port, &ss);
	int fd = socket(a->family, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret;

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&ss, n) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

/*
 * Is address a on an interface of this namespace? (Not bind(): with
 * net.ipv4.ip_nonlocal_bind every address binds.)
 */
static bool addr_here(const struct ip_prefix *a)
{
	struct ifaddrs *ifa, *i;
	bool here = false;

	if (getifaddrs(&ifa) < 0)
		return false;
	for (i = ifa; i && !here; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != a->family)
			continue;
		if (a->family == AF_INET)
			here = ((struct sockaddr_in *)i->ifa_addr)
				       ->sin_addr.s_addr == a->addr.v4.s_addr;
		else
			here = !memcmp(&((struct sockaddr_in6 *)i->ifa_addr)
						->sin6_addr,
				       &a->addr.v6, sizeof(a->addr.v6));
	}
	freeifaddrs(ifa);
	return here;
}

int lab_host_pick(struct lab *lab, const char *name, bool need, struct err *e)
{
	char rec[LAB_NAME_MAX + 1], list[512];
	int i, found = -1, n = 0, netns_n;

	lab->here = -1;
	if (!lab->nhosts) {
		if (name)
			return errf(
				e, -EINVAL,
				"--host %s: lab %s has no [host] sections: it runs on one machine (see docs/scale.md to split it)",
				name, lab->name);
		return 0;
	}
	lab_hosts_list(lab, list, sizeof(list));
	if (!lab_host_recorded(lab->name, rec, sizeof(rec))) {
		if (name && strcmp(name, rec))
			return errf(
				e, -EEXIST,
				"lab %s: host %s's share is up in this state directory; host %s's needs its own (UMNET_STATE_DIR, or another machine)",
				lab->name, rec, name);
		name = rec;
	}
	if (name) {
		lab->here = lab_host_find(lab, name);
		if (lab->here < 0)
			return errf(
				e, -ENOENT,
				"--host %s: lab %s has no [host %s] (hosts: %s)",
				name, lab->name, name, list);
		return 0;
	}
	/* the host whose netns this is, else whose address is here */
	for (i = 0; i < lab->nhosts; i++)
		if (lab->hosts[i].netns[0] && in_netns(lab->hosts[i].netns)) {
			found = i;
			n++;
		}
	netns_n = n;
	for (i = 0; i < lab->nhosts && !netns_n; i++)
		if (addr_here(&lab->hosts[i].addr)) {
			found = i;
			n++;
		}
	if (n == 1) {
		lab->here = found;
		return 0;
	}
	if (!need)
		return 0;
	return errf(
		e, -EINVAL,
		"lab %s runs on several hosts: %s; %s: say which share this is with --host NAME",
		lab->name, list,
		n ? "more than one of them is here"
		  : "none of their addresses or netns is here");
}

int lab_host_enter(const struct lab *lab, struct err *e)
{
	const struct lab_host *h;
	char path[PATH_MAX];
	int fd, ret = 0;

	if (!lab->nhosts || lab->here < 0)
		return 0;
	h = &lab->hosts[lab->here];
	if (!h->netns[0] || in_netns(h->netns))
		return 0;
	if (path_fmt(path, sizeof(path), "/run/netns/%s", h->netns))
		return errf(e, -ENAMETOOLONG, "netns %s: name too long",
			    h->netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
		ret = -errno;
	if (fd >= 0)
		close(fd);
	if (ret)
		return errf(
			e, ret,
			"%s:%d: [host %s]: entering its netns %s: %s (run as root, or with 'ip netns exec %s umnet ...')",
			lab->path, h->line, h->name, h->netns, strerror(-ret),
			h->netns);
	return 0;
}

/* the MTU of the route from fd's address to a (IP_MTU of a connected socket) */
static int route_mtu(int fd, const struct ip_prefix *a, unsigned int port)
{
	struct sockaddr_storage ss;
	socklen_t n = sockaddr_of(a, port, &ss);
	int mtu = 0;
	socklen_t ml = sizeof(mtu);

	if (connect(fd, (struct sockaddr *)&ss, n) < 0)
		return -errno;
	if (a->family == AF_INET6
		    ? getsockopt(fd, IPPROTO_IPV6, IPV6_MTU, &mtu, &ml)
		    : getsockopt(fd, IPPROTO_IP, IP_MTU, &mtu, &ml))
		return -errno;
	return mtu;
}

void lab_switch_l2tp_free(char **argv, int n)
{
	for (int i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
}

/* "ADDR:PORT", "[ADDR6]:PORT" */
static void addr_port(const struct ip_prefix *a, unsigned int port, char *out,
		      size_t len)
{
	char s[64];

	ip_addr_str(a, s, sizeof(s));
	snprintf(out, len, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", s,
		 port);
}

int lab_switch_l2tp_args(const struct lab *lab, const struct lab_link *l,
			 char ***argv, int *n)
{
	char ap[96], buf[320];
	char **v;
	int i, k = 0;

	*argv = NULL;
	*n = 0;
	if (!l->cross || l->kind == LINK_WIRE)
		return 0;
	if (l->neps > SWITCH_L2TP_PEERS_MAX)
		return -E2BIG;
	v = calloc(2 * (l->neps + 1), sizeof(*v));
	if (!v)
		return -ENOMEM;
	addr_port(&lab->hosts[l->sw_host].addr, l->port, ap, sizeof(ap));
	v[k++] = strdup("--l2tp");
	v[k++] = strdup(ap);
	for (i = 0; i < l->neps; i++) {
		const struct lab_endpoint *ep = &l->eps[i];
		int h = lab->nodes[ep->node].host;
		struct lab_l2tp_ids ids;

		if (h == l->sw_host)
			continue;
		lab_seg_ids(lab->name, l, i, 0, &ids);
		addr_port(&lab->hosts[h].addr, ep->port, ap, sizeof(ap));
		snprintf(
			buf, sizeof(buf),
			"%s,rx_session=%u,tx_session=%u,rx_cookie=%u,tx_cookie=%u",
			ap, ids.rx_session, ids.tx_session, ids.rx_cookie,
			ids.tx_cookie);
		v[k++] = strdup("--l2tp-peer");
		v[k++] = strdup(buf);
	}
	*argv = v;
	*n = k;
	for (i = 0; i < k; i++)
		if (!v[i]) {
			lab_switch_l2tp_free(v, k);
			*argv = NULL;
			*n = 0;
			return -ENOMEM;
		}
	return 0;
}

/*
 * The UDP port a link across hosts binds here (0: none to check) and the
 * host it sends to, for link l's end ep (-1: a segment's switch, sending
 * to end j's host)
 */
static int probe_one(const struct lab *lab, const struct lab_link *l,
		     unsigned int bind_port, const struct lab_host *peer,
		     unsigned int peer_port, struct err *e)
{
	const struct lab_host *me = &lab->hosts[lab->here];
	unsigned int over = lab_cross_overhead(l->cross_kind, me->addr.family);
	unsigned int need = l->mtu + over;
	char a[64], b[64];
	int fd, mtu;

	ip_addr_str(&me->addr, a, sizeof(a));
	fd = bound_socket(&me->addr, bind_port);
	if (fd < 0)
		return errf(
			e, fd,
			"lab %s: link %s: UDP port %u on host %s (%s): %s: give the link another port = N",
			lab->name, l->name, bind_port, me->name, a,
			strerror(-fd));
	mtu = route_mtu(fd, &peer->addr, peer_port ? peer_port : 9);
	close(fd);
	ip_addr_str(&peer->addr, b, sizeof(b));
	if (mtu < 0)
		return errf(
			e, mtu,
			"lab %s: link %s: no route from host %s (%s) to host %s (%s): %s",
			lab->name, l->name, me->name, a, peer->name, b,
			strerror(-mtu));
	if ((unsigned int)mtu < need)
		return errf(
			e, -EMSGSIZE,
			"lab %s: link %s: the route from host %s (%s) to host %s (%s) has MTU %d, less than the %u the %s needs (its MTU %u + %u bytes of headers): set mtu = %d in [host %s] and [host %s] (%s), or a smaller mtu = on the link",
			lab->name, l->name, me->name, a, peer->name, b, mtu,
			need, l->kind == LINK_WIRE ? "wire" : "segment", l->mtu,
			over, mtu, me->name, peer->name, lab->path);
	return 0;
}

/* a segment across hosts: its switch here, or ends of it here */
static int probe_seg(const struct lab *lab, const struct lab_link *l,
		     const bool *booting, struct err *e)
{
	const struct lab_host *sw = &lab->hosts[l->sw_host];
	int i, ret;

	for (i = 0; i < l->neps; i++) {
		const struct lab_endpoint *ep = &l->eps[i];
		int h = lab->nodes[ep->node].host;

		if (h == l->sw_host)
			continue;
		/* the switch may be up already (lab up again): no bind */
		if (l->sw_host == lab->here)
			ret = probe_one(lab, l, 0, &lab->hosts[h], ep->port, e);
		else if (h == lab->here)
			ret = probe_one(lab, l,
					booting[ep->node] ? ep->port : 0, sw,
					l->port, e);
		else
			ret = 0;
		if (ret)
			return ret;
	}
	return 0;
}

int lab_hosts_probe(const struct lab *lab, const bool *booting, struct err *e)
{
	const struct lab_host *me, *peer;
	char a[64];
	int i, fd;

	if (!lab->nhosts || lab->here < 0)
		return 0;
	me = &lab->hosts[lab->here];
	ip_addr_str(&me->addr, a, sizeof(a));
	fd = bound_socket(&me->addr, 0);
	if (fd < 0)
		return errf(
			e, fd,
			"%s:%d: [host %s]: address %s is not an address here (%s): run this on host %s%s%s, or correct address =",
			lab->path, me->line, me->name, a, strerror(-fd),
			me->name, me->netns[0] ? " or in its netns " : "",
			me->netns);
	close(fd);
	for (i = 0; i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];
		int k, ret;

		if (!l->cross || !lab_link_here(lab, l))
			continue;
		if (l->kind != LINK_WIRE) {
			ret = probe_seg(lab, l, booting, e);
		} else {
			k = lab->nodes[l->eps[0].node].host == lab->here ? 1
									 : 0;
			peer = &lab->hosts[lab->nodes[l->eps[k].node].host];
			/* the node binds the same address and port: free? */
			ret = probe_one(lab, l,
					booting[l->eps[!k].node] ? l->port : 0,
					peer, l->port, e);
		}
		if (ret)
			return ret;
	}
	return 0;
}

void lab_host_abandon(const struct lab *lab)
{
	struct lab_paths lp;
	struct err e = { "" };

	/* lab_load made the state dir; nothing was brought up in it */
	if (!lab_paths(lab->name, &lp) && access(lp.copy, F_OK))
		infra_down(lab->name, &e);
}
