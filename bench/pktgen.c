// SPDX-License-Identifier: GPL-2.0
/*
 * pktgen: a small frame generator for bench/switch.sh. It sends 64-byte
 * Ethernet frames from MAC A to MAC B through an L2 switch and counts what
 * arrives at B, for a bounded time and count:
 *
 *   pktgen unix -s SWITCH_SOCKET [-t SECONDS] [-n COUNT] [-l LEN]
 *	two SOCK_SEQPACKET connections to `umnet switch` (what the bess
 *	transport makes): one frame per message
 *   pktgen packet -a IFNAME -b IFNAME [-t SECONDS] [-n COUNT] [-l LEN]
 *	AF_PACKET sockets bound to two interfaces (the outer ends of veth
 *	pairs whose inner ends are in a bridge)
 *   pktgen udp -a NETNS -b NETNS -d ADDRESS [-t SECONDS] [-n COUNT] [-l LEN]
 *	for bench/forward.sh: UDP datagrams of LEN payload bytes (default
 *	18, a 64-byte Ethernet frame) from a socket in namespace A to
 *	ADDRESS:9 in namespace B, routed by whatever lies between; both
 *	sockets are made by this one process (setns to each in turn)
 *
 * In the L2 modes B first sends one frame so that the switch learns where
 * B is. Then a
 * thread sends A->B in batches of BATCH with sendmmsg (blocking: the
 * switch's queue pushes back) while the main thread counts frames from A
 * at B with recvmmsg. It stops after SECONDS or COUNT frames, whichever
 * comes first, and prints one line:
 *
 *   sent=N received=N seconds=S tx_pps=N rx_pps=N
 *
 * rx_pps is what the benchmark reports: frames delivered per second of
 * sending. Exit status 0, 1 on a failure (with what to do), 2 on usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define LEN_MIN 60
#define LEN_MAX 1514
#define UDP_LEN_MAX 1472 /* payload in a 1500-byte MTU */
#define UDP_PORT 9 /* discard */
#define ETHERTYPE_BENCH 0x88b5 /* IEEE local experimental */
#define SECONDS_MAX 60
#define COUNT_DEFAULT 50000000ULL

static const unsigned char mac_a[6] = { 0x02, 0xbe, 0x0c, 0, 0, 0x0a };
static const unsigned char mac_b[6] = { 0x02, 0xbe, 0x0c, 0, 0, 0x0b };

struct gen {
	int tx_fd, rx_fd;
	unsigned int len;
	bool udp; /* count every datagram, no learning frame */
	double seconds;
	unsigned long long count;
	/* written by the sender thread, read after it is joined */
	unsigned long long sent;
	double elapsed;
	int tx_err;
	volatile bool stop;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void frame(unsigned char *f, unsigned int len, const unsigned char *dst,
		  const unsigned char *src)
{
	memset(f, 0, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = ETHERTYPE_BENCH >> 8;
	f[13] = ETHERTYPE_BENCH & 0xff;
}

static void *sender(void *arg)
{
	static unsigned char buf[BATCH][LEN_MAX];
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	struct gen *g = arg;
	double t0, end;
	int i, n;

	memset(msg, 0, sizeof(msg));
	for (i = 0; i < BATCH; i++) {
		if (!g->udp)
			frame(buf[i], g->len, mac_b, mac_a);
		else
			memset(buf[i], 0xa5, g->len);
		iov[i].iov_base = buf[i];
		iov[i].iov_len = g->len;
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = now_s();
	end = t0 + g->seconds;
	while (!g->stop && g->sent < g->count) {
		unsigned long long left = g->count - g->sent;

		n = sendmmsg(g->tx_fd, msg, left < BATCH ? left : BATCH, 0);
		if (n < 0) {
			/* SO_SNDTIMEO (50 ms) passed: look at the clock */
			if (errno == EAGAIN || errno == ENOBUFS) {
				if (now_s() >= end)
					break;
				continue;
			}
			if (errno == EINTR)
				continue;
			g->tx_err = errno;
			break;
		}
		g->sent += n;
		if (now_s() >= end)
			break;
	}
	g->elapsed = now_s() - t0;
	g->stop = true;
	return NULL;
}

/* count frames from A at rx_fd until the sender stopped and rx went quiet */
static unsigned long long receive(struct gen *g)
{
	static unsigned char buf[BATCH][LEN_MAX];
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	unsigned long long got = 0;
	int i, n, idle = 0;

	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = LEN_MAX;
		memset(&msg[i], 0, sizeof(msg[i]));
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	while (got < g->count) {
		n = recvmmsg(g->rx_fd, msg, BATCH, MSG_WAITFORONE, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				fprintf(stderr, "pktgen: receive: %s\n",
					strerror(errno));
				break;
			}
			/* SO_RCVTIMEO (50 ms) passed without a frame */
			if (g->stop && ++idle >= 2)
				break;
			continue;
		}
		idle = 0;
		for (i = 0; i < n; i++)
			if (g->udp ? msg[i].msg_len == g->len
				   : msg[i].msg_len >= 12 &&
					     !memcmp(buf[i] + 6, mac_a, 6))
				got++;
	}
	return got;
}

static int run(struct gen *g)
{
	struct timeval tv = { .tv_usec = 50000 };
	unsigned char learn[LEN_MAX];
	unsigned long long got;
	pthread_t th;
	int ret;

	if (setsockopt(g->rx_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(g->tx_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv))) {
		fprintf(stderr, "pktgen: SO_RCVTIMEO/SO_SNDTIMEO: %s\n",
			strerror(errno));
		return -1;
	}
	/* B speaks first so that the switch knows where B is */
	frame(learn, g->len, mac_a, mac_b);
	if (!g->udp && send(g->rx_fd, learn, g->len, 0) < 0) {
		fprintf(stderr,
			"pktgen: sending the learning frame from B: %s\n",
			strerror(errno));
		return -1;
	}
	usleep(100000);
	ret = pthread_create(&th, NULL, sender, g);
	if (ret) {
		fprintf(stderr, "pktgen: pthread_create: %s\n", strerror(ret));
		return -1;
	}
	got = receive(g);
	g->stop = true;
	pthread_join(th, NULL);
	if (g->tx_err) {
		fprintf(stderr, "pktgen: send: %s\n", strerror(g->tx_err));
		return -1;
	}
	printf("sent=%llu received=%llu seconds=%.3f tx_pps=%.0f rx_pps=%.0f\n",
	       g->sent, got, g->elapsed, g->sent / g->elapsed,
	       got / g->elapsed);
	return 0;
}

static int unix_connect(const char *path)
{
	int sndbuf = 4 * 1024 * 1024, fd;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr,
			"pktgen: %s: longer than a unix socket address allows (%zu bytes)\n",
			path, sizeof(sa.sun_path) - 1);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "pktgen: socket: %s\n", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr,
			"pktgen: connect %s: %s: is 'umnet switch -s %s' running?\n",
			path, strerror(errno), path);
		close(fd);
		return -1;
	}
	return fd;
}

static int packet_open(const char *ifname)
{
	int rcvbuf = 8 * 1024 * 1024, fd;
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETHERTYPE_BENCH),
	};

	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex) {
		fprintf(stderr,
			"pktgen: interface %s: %s: give an existing interface\n",
			ifname, strerror(errno));
		return -1;
	}
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETHERTYPE_BENCH));
	if (fd < 0) {
		fprintf(stderr,
			"pktgen: AF_PACKET socket: %s (needs CAP_NET_RAW)\n",
			strerror(errno));
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "pktgen: bind to %s: %s\n", ifname,
			strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* a UDP socket made in network namespace ns: bound to addr:UDP_PORT for B
 * (bind), connected to it for A */
static int udp_open(const char *ns, const char *addr, bool bind_it)
{
	int rcvbuf = 8 * 1024 * 1024, fd = -1, nsfd;
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(UDP_PORT) };
	char path[128];

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "pktgen: -d %s: not an IPv4 address\n", addr);
		return -1;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "pktgen: netns %s: %s (needs root)\n", ns,
			strerror(errno));
		goto out;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "pktgen: UDP socket: %s\n", strerror(errno));
		goto out;
	}
	if (bind_it) {
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
			       sizeof(rcvbuf)))
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				   sizeof(rcvbuf));
	}
	if ((bind_it ? bind(fd, (struct sockaddr *)&sin, sizeof(sin))
		     : connect(fd, (struct sockaddr *)&sin, sizeof(sin))) < 0) {
		fprintf(stderr, "pktgen: %s %s:%d in netns %s: %s\n",
			bind_it ? "bind" : "connect", addr, UDP_PORT, ns,
			strerror(errno));
		close(fd);
		fd = -1;
	}
out:
	if (nsfd >= 0)
		close(nsfd);
	return fd;
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: pktgen unix -s SWITCH_SOCKET [-t SECONDS] [-n COUNT] [-l LEN]\n"
		"       pktgen packet -a IFNAME -b IFNAME [-t SECONDS] [-n COUNT] [-l LEN]\n"
		"       pktgen udp -a NETNS -b NETNS -d ADDRESS [-t SECONDS] [-n COUNT] [-l LEN]\n");
}

int main(int argc, char *argv[])
{
	struct gen g = { .tx_fd = -1,
			 .rx_fd = -1,
			 .len = 64,
			 .seconds = 3,
			 .count = COUNT_DEFAULT };
	const char *sock = NULL, *ifa = NULL, *ifb = NULL, *dst = NULL, *mode;
	unsigned int len_min = LEN_MIN, len_max = LEN_MAX;
	char *end;
	int ret = 1, c;

	if (argc < 2) {
		usage();
		return 2;
	}
	mode = argv[1];
	if (!strcmp(mode, "udp")) {
		g.udp = true;
		g.len = 18;
		len_min = 1;
		len_max = UDP_LEN_MAX;
	}
	optind = 2;
	while ((c = getopt(argc, argv, "s:a:b:d:t:n:l:")) != -1) {
		switch (c) {
		case 's':
			sock = optarg;
			break;
		case 'a':
			ifa = optarg;
			break;
		case 'b':
			ifb = optarg;
			break;
		case 'd':
			dst = optarg;
			break;
		case 't':
			g.seconds = strtod(optarg, &end);
			if (*end || g.seconds <= 0 || g.seconds > SECONDS_MAX) {
				fprintf(stderr,
					"pktgen: -t %s: must be 0..%d seconds\n",
					optarg, SECONDS_MAX);
				return 2;
			}
			break;
		case 'n':
			g.count = strtoull(optarg, &end, 10);
			if (*end || !g.count) {
				fprintf(stderr,
					"pktgen: -n %s: must be a count > 0\n",
					optarg);
				return 2;
			}
			break;
		case 'l':
			g.len = strtoul(optarg, &end, 10);
			if (*end || g.len < len_min || g.len > len_max) {
				fprintf(stderr,
					"pktgen: -l %s: must be %u..%u bytes\n",
					optarg, len_min, len_max);
				return 2;
			}
			break;
		default:
			usage();
			return 2;
		}
	}
	if (optind != argc) {
		usage();
		return 2;
	}
	if (!strcmp(mode, "unix") && sock) {
		g.tx_fd = unix_connect(sock);
		if (g.tx_fd >= 0)
			g.rx_fd = unix_connect(sock);
	} else if (!strcmp(mode, "packet") && ifa && ifb) {
		g.tx_fd = packet_open(ifa);
		if (g.tx_fd >= 0)
			g.rx_fd = packet_open(ifb);
	} else if (g.udp && ifa && ifb && dst) {
		g.rx_fd = udp_open(ifb, dst, true);
		if (g.rx_fd >= 0)
			g.tx_fd = udp_open(ifa, dst, false);
	} else {
		usage();
		return 2;
	}
	if (g.tx_fd < 0 || g.rx_fd < 0)
		goto cleanup;
	if (run(&g))
		goto cleanup;
	ret = 0;
cleanup:
	if (g.tx_fd >= 0)
		close(g.tx_fd);
	if (g.rx_fd >= 0)
		close(g.rx_fd);
	return ret;
}
