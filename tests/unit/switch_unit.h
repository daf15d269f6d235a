/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What tests/unit/test_switch.c and test_switch_vnet.c share: the switch
 * in-process with real SOCK_SEQPACKET clients as its ports.
 */
#ifndef UMNET_SWITCH_UNIT_H
#define UMNET_SWITCH_UNIT_H

#include <errno.h>
#include <fcntl.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include "switch.h"
#include "unit.h"

static char dir[64] __attribute__((unused));
static unsigned char buf[SWITCH_FRAME_MAX + 100] __attribute__((unused));

__attribute__((unused)) static const unsigned char BCAST[6] = { 0xff, 0xff,
								0xff, 0xff,
								0xff, 0xff };

static inline void mac(unsigned char *m, int n)
{
	static const unsigned char base[6] = { 0x02, 0, 0, 0, 0x77, 0 };

	memcpy(m, base, 6);
	m[5] = n;
}

static inline int client(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	strscpy(sa.sun_path, path, sizeof(sa.sun_path));
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror(path);
		exit(1);
	}
	return fd;
}

static inline void pump(struct sw *sw)
{
	struct err e = { "" };
	int i;

	for (i = 0; i < 4; i++)
		if (switch_run_once(sw, 0, NULL, &e) && e.msg[0]) {
			printf("run_once: %s\n", e.msg);
			exit(1);
		}
}

/* send a frame dst <- src of len bytes (payload filled with n) */
static inline void send_frame(int fd, const unsigned char *dst,
			      const unsigned char *src, size_t len, int n)
{
	static unsigned char f[100000];

	memset(f, n, len);
	if (len >= 12) {
		memcpy(f, dst, 6);
		memcpy(f + 6, src, 6);
	}
	if (send(fd, f, len, 0) != (ssize_t)len) {
		perror("send");
		exit(1);
	}
}

/* frames waiting on fd; the length of the last one in *last */
static inline int drain(int fd, ssize_t *last)
{
	int n = 0;
	ssize_t r;

	while ((r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0) {
		n++;
		if (last)
			*last = r;
	}
	return n;
}

static inline const struct switch_port_stats *port(struct switch_status *st,
						   uint32_t id)
{
	uint32_t i;

	for (i = 0; i < st->hdr.nports; i++)
		if (st->ports[i].id == id)
			return &st->ports[i];
	printf("port %u not found\n", id);
	exit(1);
}

static struct switch_status st __attribute__((unused));

/* a private directory for the sockets, SIGPIPE ignored */
static inline int switch_unit_start(void)
{
	snprintf(dir, sizeof(dir), "/tmp/umnet-switch.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);
	srand(42);
	return 0;
}

/* a UDP socket on 127.0.0.1, an ephemeral port: a remote node's */
static inline int udp_peer(unsigned int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int size = 4 << 20;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		perror("udp");
		exit(1);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	*port = ntohs(sa.sin_port);
	return fd;
}

/* peer n's ids, as the switch sees them: rx 100+n, tx 200+n, cookies */
static inline void l2tp_peer_ids(struct switch_l2tp_peer *p, int n,
				 unsigned int port)
{
	memset(p, 0, sizeof(*p));
	strcpy(p->host, "127.0.0.1");
	p->port = port;
	p->rx_session = 100 + n;
	p->tx_session = 200 + n;
	p->rx_cookie = 0xc00c1e00u + n;
	p->tx_cookie = 0xbeef0000u + n;
}

/* a switch with --l2tp 127.0.0.1:0 and npeers remote ports */
static inline struct sw *l2tp_switch(struct switch_l2tp_peer *peers, int npeers,
				     struct sockaddr_in *to)
{
	struct switch_config cfg = { .aging_ms = 300000,
				     .npeers = npeers,
				     .peers = peers };
	struct err e = { "" };
	struct sw *sw = NULL;

	snprintf(cfg.path, sizeof(cfg.path), "%s/l2", dir);
	strcpy(cfg.l2tp_addr, "127.0.0.1");
	if (switch_open(&sw, &cfg, &e)) {
		printf("switch_open: %s\n", e.msg);
		exit(1);
	}
	memset(to, 0, sizeof(*to));
	to->sin_family = AF_INET;
	to->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to->sin_port = htons(switch_l2tp_port(sw));
	return sw;
}

#endif
