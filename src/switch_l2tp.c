// SPDX-License-Identifier: GPL-2.0
/*
 * The switch's remote ports (switch.h): L2TPv3 over UDP, the datagrams
 * UML's l2tpv3 transport sends and expects with udp = 1 and 32-bit cookies
 * (arch/um/drivers/vector_transports.c: l2tpv3_form_header and
 * l2tpv3_verify_header). One UDP socket for every remote port; a datagram
 * finds its port by its session id.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "resolve.h"
#include "switch_priv.h"

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void l2tp_hdr_put(unsigned char *h, uint32_t session, uint32_t cookie)
{
	put32(h, SWITCH_L2TP_DATA);
	put32(h + 4, session);
	put32(h + 8, cookie);
}

int l2tp_hdr_get(const unsigned char *h, size_t len, uint32_t *session,
		 uint32_t *cookie)
{
	if (len < SWITCH_L2TP_HDR_LEN)
		return -EMSGSIZE;
	*session = get32(h + 4);
	*cookie = get32(h + 8);
	/* RFC 3931 4.1.2.1: T bit clear (data), version 3 */
	if (get32(h) != SWITCH_L2TP_DATA)
		return -EPROTO;
	return 0;
}

/* "ADDR:PORT" or "[ADDR]:PORT": the host part into host, the port */
static int host_port(const char *arg, char *host, size_t len,
		     unsigned int *port)
{
	const char *colon, *h = arg;
	unsigned long p;
	size_t n;

	if (arg[0] == '[') {
		const char *end = strchr(arg, ']');

		if (!end || end[1] != ':')
			return -EINVAL;
		h = arg + 1;
		n = (size_t)(end - h);
		colon = end + 1;
	} else {
		colon = strrchr(arg, ':');
		if (!colon || memchr(arg, ':', (size_t)(colon - arg)))
			return -EINVAL;
		n = (size_t)(colon - arg);
	}
	if (!n || n >= len || parse_uint(colon + 1, 1, 65535, &p))
		return -EINVAL;
	memcpy(host, h, n);
	host[n] = '\0';
	*port = (unsigned int)p;
	return 0;
}

int switch_l2tp_listen_parse(const char *arg, char *addr, size_t len,
			     unsigned int *port, struct err *e)
{
	struct in6_addr a6;

	if (host_port(arg, addr, len, port) ||
	    (inet_pton(AF_INET, addr, &a6) != 1 &&
	     inet_pton(AF_INET6, addr, &a6) != 1))
		return errf(
			e, -EINVAL,
			"--l2tp %s: must be ADDR:PORT with this host's IPv4 address (0.0.0.0: any) or [IPv6]:PORT, PORT 1..65535",
			arg);
	return 0;
}

int switch_l2tp_peer_parse(const char *arg, struct switch_l2tp_peer *p,
			   struct err *e)
{
	static const char *const keys[] = { "rx_session", "tx_session",
					    "rx_cookie", "tx_cookie" };
	char buf[512], *save = NULL, *tok;
	uint32_t *val[] = { &p->rx_session, &p->tx_session, &p->rx_cookie,
			    &p->tx_cookie };
	bool seen[4] = { false };
	unsigned long v;
	size_t i;
	int ret = -EINVAL;

	memset(p, 0, sizeof(*p));
	if (strscpy(buf, arg, sizeof(buf)))
		return errf(e, -EINVAL, "--l2tp-peer %.40s...: too long", arg);
	tok = strtok_r(buf, ",", &save);
	if (!tok || host_port(tok, p->host, sizeof(p->host), &p->port) ||
	    (!strchr(p->host, ':') &&
	     !host_name_valid(p->host, sizeof(p->host) - 1)))
		goto usage;
	while ((tok = strtok_r(NULL, ",", &save))) {
		char *eq = strchr(tok, '=');

		if (!eq)
			goto usage;
		*eq = '\0';
		for (i = 0; i < 4 && strcmp(tok, keys[i]); i++)
			;
		if (i == 4)
			return errf(
				e, -EINVAL,
				"--l2tp-peer %s: unknown key \"%s\" (known: rx_session, tx_session, rx_cookie, tx_cookie)",
				arg, tok);
		if (seen[i] ||
		    parse_uint(eq + 1, i < 2 ? 1 : 0, UINT32_MAX, &v))
			return errf(
				e, -EINVAL, "--l2tp-peer %s: %s = %s: %s", arg,
				tok, eq + 1,
				seen[i] ? "given twice"
					: (i < 2 ? "a session id is 1..4294967295"
						 : "a cookie is 0..4294967295"));
		seen[i] = true;
		*val[i] = (uint32_t)v;
	}
	for (i = 0; i < 4; i++)
		if (!seen[i])
			return errf(e, -EINVAL, "--l2tp-peer %s: no %s=", arg,
				    keys[i]);
	return 0;
usage:
	errf(e, ret,
	     "--l2tp-peer %s: must be HOST:PORT,rx_session=N,tx_session=N,rx_cookie=N,tx_cookie=N (HOST an address, [IPv6] or a DNS name)",
	     arg);
	return ret;
}

/* the family of address addr; dflt if it is not one (a name) */
static int addr_family(const char *addr, int dflt)
{
	struct in6_addr a;

	if (inet_pton(AF_INET, addr, &a) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, addr, &a) == 1)
		return AF_INET6;
	return dflt;
}

/* --l2tp's address is one (switch_l2tp_listen_parse checked it) */
static int listen_family(const char *addr)
{
	return addr_family(addr, AF_INET6);
}

/*
 * A remote port's name in `switch status`: "l2tp HOST:PORT", then " at
 * ADDR:PORT" once its address is known, where that is not HOST:PORT (HOST
 * a name, or a peer that moved)
 */
static void l2tp_set_name(struct port *pt)
{
	const char *host = pt->peer->host;
	char a[INET6_ADDRSTRLEN] = "", serv[8] = "", at[80] = "";
	char given[SWITCH_L2TP_HOST_MAX + 16], full[sizeof(given) + 96];
	bool v6 = strchr(host, ':');

	snprintf(given, sizeof(given), "%s%s%s:%u", v6 ? "[" : "", host,
		 v6 ? "]" : "", pt->peer->port);
	if (pt->alen &&
	    !getnameinfo((struct sockaddr *)&pt->addr, pt->alen, a, sizeof(a),
			 serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV)) {
		v6 = strchr(a, ':');
		snprintf(at, sizeof(at), "%s%s%s:%s", v6 ? "[" : "", a,
			 v6 ? "]" : "", serv);
		if (!strcmp(at, given))
			at[0] = '\0';
	}
	snprintf(full, sizeof(full), "l2tp %s%s%s", given, at[0] ? " at " : "",
		 at);
	strscpy(pt->st.name, full, sizeof(pt->st.name)); /* cut if too long */
}

int sw_l2tp_open(struct sw *sw, struct err *e)
{
	const struct switch_config *cfg = &sw->cfg;
	struct sockaddr_storage ss = { 0 };
	int sndbuf = SWITCH_SNDBUF, fam, i, j;
	socklen_t len;

	if (!cfg->l2tp_addr[0])
		return errf(e, -EINVAL,
			    "--l2tp-peer needs --l2tp ADDR:PORT to send from");
	for (i = 0; i < cfg->npeers; i++)
		for (j = 0; j < i; j++)
			if (cfg->peers[i].rx_session ==
			    cfg->peers[j].rx_session)
				return errf(
					e, -EINVAL,
					"--l2tp-peer %s:%u and %s:%u have the same rx_session %u: each remote port needs its own",
					cfg->peers[j].host, cfg->peers[j].port,
					cfg->peers[i].host, cfg->peers[i].port,
					cfg->peers[i].rx_session);
	fam = listen_family(cfg->l2tp_addr);
	/* an address of the other family would never resolve: say so now */
	for (i = 0; i < cfg->npeers; i++) {
		int pf = addr_family(cfg->peers[i].host, fam);

		if (pf != fam)
			return errf(
				e, -EAFNOSUPPORT,
				"--l2tp-peer %s%s%s:%u: an %s address, but --l2tp %s sends from %s: give both in one family",
				pf == AF_INET6 ? "[" : "", cfg->peers[i].host,
				pf == AF_INET6 ? "]" : "", cfg->peers[i].port,
				pf == AF_INET ? "IPv4" : "IPv6", cfg->l2tp_addr,
				fam == AF_INET ? "IPv4" : "IPv6");
	}
	if (fam == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(cfg->l2tp_port);
		inet_pton(AF_INET, cfg->l2tp_addr, &s4->sin_addr);
		len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(cfg->l2tp_port);
		inet_pton(AF_INET6, cfg->l2tp_addr, &s6->sin6_addr);
		len = sizeof(*s6);
	}
	sw->ufd = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (sw->ufd < 0)
		return errf(e, -errno, "--l2tp: socket: %s", strerror(errno));
	if (bind(sw->ufd, (struct sockaddr *)&ss, len) < 0)
		return errf(e, -errno, "--l2tp %s:%u: bind: %s%s",
			    cfg->l2tp_addr, cfg->l2tp_port, strerror(errno),
			    errno == EADDRNOTAVAIL
				    ? " (not an address of this host)"
				    : "");
	if (setsockopt(sw->ufd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf,
		       sizeof(sndbuf)))
		setsockopt(sw->ufd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
			   sizeof(sndbuf));
	if (setsockopt(sw->ufd, SOL_SOCKET, SO_RCVBUFFORCE, &sndbuf,
		       sizeof(sndbuf)))
		setsockopt(sw->ufd, SOL_SOCKET, SO_RCVBUF, &sndbuf,
			   sizeof(sndbuf));
	if (cfg->npeers > SWITCH_L2TP_PEERS_MAX)
		return errf(e, -E2BIG, "--l2tp-peer: at most %d",
			    SWITCH_L2TP_PEERS_MAX);
	sw->peers = calloc(cfg->npeers ? cfg->npeers : 1, sizeof(*sw->peers));
	if (!sw->peers)
		return errf(e, -ENOMEM, "out of memory");
	memcpy(sw->peers, cfg->peers, cfg->npeers * sizeof(*sw->peers));
	sw->cfg.peers = sw->peers;
	for (i = 0; i < cfg->npeers; i++) {
		struct port *pt = port_new(sw);

		if (!pt)
			return errf(e, -ENOSPC, "--l2tp-peer: too many ports");
		pt->fd = sw->ufd;
		pt->l2tp = true;
		pt->st.l2tp = 1;
		pt->peer = &sw->peers[i];
		l2tp_hdr_put(pt->l2hdr, pt->peer->tx_session,
			     pt->peer->tx_cookie);
		l2tp_set_name(pt);
	}
	/* the lookups start in the loop's first round, after a daemon's
	 * fork (their threads would not follow it) */
	sw->rfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (sw->rfd < 0)
		return errf(e, -errno, "--l2tp-peer: eventfd: %s",
			    strerror(errno));
	return 0;
}

/*
 * The remote ports whose peer has no address yet: an address is taken at
 * once; a name is looked up beside the loop (resolve_start), so a slow or
 * unreachable name server never holds up the frames of the other ports,
 * and its answer is collected here when sw->rfd says a lookup ended.
 */
void sw_l2tp_resolve(struct sw *sw, long long now)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res;
	char port[8];
	int i, r;

	sw->last_resolve = now;
	if (sw->rfd >= 0) {
		uint64_t n;

		if (read(sw->rfd, &n, sizeof(n)) < 0) {
			/* EAGAIN: nothing ended since the last round */
		}
	}
	hints.ai_family = listen_family(sw->cfg.l2tp_addr);
	for (i = 0; i < SWITCH_MAX_PORTS; i++) {
		struct port *pt = &sw->ports[i];

		if (pt->fd < 0 || !pt->l2tp || pt->alen)
			continue;
		if (!pt->lookup && now < pt->next_lookup)
			continue;
		snprintf(port, sizeof(port), "%u", pt->peer->port);
		if (pt->lookup) {
			r = resolve_done(pt->lookup, &res);
			if (r == EAI_INPROGRESS)
				continue;
			resolve_free(pt->lookup);
			pt->lookup = NULL;
		} else {
			hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
			r = getaddrinfo(pt->peer->host, port, &hints, &res);
			hints.ai_flags = 0;
			if (r == EAI_NONAME) {
				r = resolve_start(pt->peer->host, port, &hints,
						  sw->rfd, &pt->lookup);
				if (!r)
					continue;
			}
		}
		if (r) {
			pt->next_lookup = now + SWITCH_LOOKUP_RETRY_MS;
			if (!pt->warned)
				sw_log(sw, SWITCH_LOG_INFO,
				       "port %u: %s: %s (tried again every second)",
				       pt->st.id, pt->peer->host,
				       gai_strerror(r));
			pt->warned = true;
			continue;
		}
		memcpy(&pt->addr, res->ai_addr, res->ai_addrlen);
		pt->alen = res->ai_addrlen;
		freeaddrinfo(res);
		l2tp_set_name(pt);
		pt->warned = false;
		sw_log(sw, SWITCH_LOG_INFO, "port %u up: %s", pt->st.id,
		       pt->st.name);
	}
}

static struct port *by_session(struct sw *sw, uint32_t session, int *slot)
{
	int i;

	for (i = 0; i < SWITCH_MAX_PORTS; i++)
		if (sw->ports[i].fd >= 0 && sw->ports[i].l2tp &&
		    sw->ports[i].peer->rx_session == session) {
			*slot = i;
			return &sw->ports[i];
		}
	return NULL;
}

static bool same_addr(const struct port *pt, const struct sockaddr_storage *a,
		      socklen_t alen)
{
	return pt->alen == alen && !memcmp(&pt->addr, a, alen);
}

void sw_l2tp_rx(struct sw *sw)
{
	long long now = now_ms();
	uint32_t session, cookie;
	struct port *pt;
	int n, i, slot, ret;

	for (i = 0; i < SWITCH_BATCH; i++) {
		struct msghdr *m = &sw->l2msg[i].msg_hdr;

		sw->l2iov[i][0].iov_base = sw->l2rx[i];
		sw->l2iov[i][0].iov_len = SWITCH_L2TP_HDR_LEN;
		sw->l2iov[i][1].iov_base = sw->rxbuf + (size_t)i * SWITCH_SLOT +
					   SWITCH_VNET_HDR_LEN;
		sw->l2iov[i][1].iov_len = SWITCH_FRAME_MAX;
		memset(m, 0, sizeof(*m));
		m->msg_iov = sw->l2iov[i];
		m->msg_iovlen = 2;
		m->msg_name = &sw->l2from[i];
		m->msg_namelen = sizeof(sw->l2from[i]);
	}
	n = recvmmsg_nb(sw->ufd, sw->l2msg, SWITCH_BATCH);
	if (n < 0) {
		sw_log(sw, SWITCH_LOG_WARN, "--l2tp: receive: %s",
		       strerror(-n));
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char *b = sw->rxbuf + (size_t)i * SWITCH_SLOT;
		struct virtio_net_hdr *h = (struct virtio_net_hdr *)b;
		unsigned int len = sw->l2msg[i].msg_len;
		struct msghdr *m = &sw->l2msg[i].msg_hdr;

		ret = l2tp_hdr_get(sw->l2rx[i], len, &session, &cookie);
		pt = ret == -EMSGSIZE ? NULL : by_session(sw, session, &slot);
		if (ret == -EMSGSIZE) {
			sw->l2tp_short++;
			continue;
		}
		if (!pt) {
			sw->bad_session++;
			continue;
		}
		if (ret) {
			pt->st.bad_hdr++;
			continue;
		}
		if (cookie != pt->peer->rx_cookie) {
			pt->st.bad_cookie++;
			continue;
		}
		if (m->msg_flags & MSG_TRUNC) {
			pt->st.oversize++;
			continue;
		}
		len -= SWITCH_L2TP_HDR_LEN;
		if (len < SWITCH_FRAME_MIN) {
			pt->st.runt++;
			continue;
		}
		if (!same_addr(pt, &sw->l2from[i], m->msg_namelen)) {
			if (pt->alen)
				sw_log(sw, SWITCH_LOG_INFO,
				       "port %u (%s): its peer sends from another address now: sending there",
				       pt->st.id, pt->st.name);
			memcpy(&pt->addr, &sw->l2from[i], m->msg_namelen);
			pt->alen = m->msg_namelen;
			l2tp_set_name(pt);
		}
		memset(h, 0, sizeof(*h)); /* plain frames */
		port_forward(sw, slot, h, b + SWITCH_VNET_HDR_LEN, len, now);
	}
	ports_flush(sw);
}

int switch_l2tp_port(const struct sw *sw)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (sw->ufd < 0 ||
	    getsockname(sw->ufd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	return ntohs(ss.ss_family == AF_INET6
			     ? ((struct sockaddr_in6 *)&ss)->sin6_port
			     : ((struct sockaddr_in *)&ss)->sin_port);
}
