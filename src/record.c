// SPDX-License-Identifier: GPL-2.0
/* Record a host interface into a pcap ring (record.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "netstack.h"
#include "record.h"

struct open_arg {
	const char *ifname;
	int fd;
};

static int open_in_ns(void *p)
{
	struct open_arg *a = p;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL) };
	int fd, one = 1, rcvbuf = RECORD_RCVBUF;

	sll.sll_ifindex = if_nametoindex(a->ifname);
	if (!sll.sll_ifindex)
		return -errno;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0)
		return -errno;
	/* room for a burst while the disk is slow: forced as root */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/* the timestamp the kernel took, not when we got round to it */
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	a->fd = fd;
	return 0;
}

int record_open(const char *netns, const char *ifname, struct err *e)
{
	struct open_arg a = { .ifname = ifname, .fd = -1 };
	int ret = netns_run(netns, open_in_ns, &a);

	if (ret == -EPERM)
		return errf(
			e, ret,
			"capture on %s%s%s: an AF_PACKET socket needs CAP_NET_RAW%s: run as root, or capture inside the node, which needs no privilege (umnet capture NODE vecN, umnet lab capture LAB LINK)",
			ifname, netns ? " in netns " : "", netns ? netns : "",
			netns ? " (and entering the netns CAP_SYS_ADMIN)" : "");
	if (ret)
		return errf(e, ret, "capture on %s%s%s: %s", ifname,
			    netns ? " in netns " : "", netns ? netns : "",
			    ret == -ENODEV ? "no such interface"
					   : strerror(-ret));
	return a.fd;
}

/*
 * Every frame waiting on the socket into the ring: 0 when it is empty, 1
 * when the interface went away, else -errno with a message in e.
 */
static int drain(int fd, struct pcap_ring *r, unsigned char *buf, struct err *e)
{
	char cbuf[CMSG_SPACE(sizeof(struct timeval))];
	int ret;

	for (;;) {
		struct iovec iov = { buf, RECORD_SNAPLEN };
		struct msghdr msg = { .msg_iov = &iov,
				      .msg_iovlen = 1,
				      .msg_control = cbuf,
				      .msg_controllen = sizeof(cbuf) };
		struct timeval tv = { 0, 0 };
		struct cmsghdr *c;
		ssize_t n = recvmsg(fd, &msg, MSG_TRUNC | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			if (errno == ENETDOWN || errno == ENODEV ||
			    errno == ENXIO)
				return 1;
			return errf(e, -errno, "capture: recv: %m");
		}
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_TIMESTAMP)
				memcpy(&tv, CMSG_DATA(c), sizeof(tv));
		if (!tv.tv_sec)
			gettimeofday(&tv, NULL);
		ret = pcap_ring_write(r, &tv, buf, (size_t)n);
		if (ret)
			return errf(e, ret, "capture: %s: %s", r->path,
				    strerror(-ret));
	}
}

int record_loop(int fd, struct pcap_ring *r, volatile sig_atomic_t *stop,
		struct err *e)
{
	unsigned char *buf = malloc(RECORD_SNAPLEN);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret = 0;

	if (!buf)
		return errf(e, -ENOMEM, "capture: out of memory");
	while (!*stop) {
		if (poll(&pfd, 1, 200) < 0 && errno != EINTR) {
			ret = errf(e, -errno, "capture: poll: %m");
			break;
		}
		if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL))
			break; /* the interface went away */
		if (!(pfd.revents & POLLIN))
			continue;
		ret = drain(fd, r, buf, e);
		if (ret) {
			if (ret == 1)
				ret = 0;
			break;
		}
	}
	/* what came before the signal is still in the socket */
	if (!ret && *stop && (ret = drain(fd, r, buf, e)) == 1)
		ret = 0;
	free(buf);
	return ret;
}

int record_follow(const char *netns, const char *ifname, struct pcap_ring *r,
		  volatile sig_atomic_t *stop, struct err *e)
{
	int fd, ret = 0;

	while (!*stop) {
		fd = record_open(netns, ifname, e);
		if (fd == -ENODEV || fd == -ENOENT) {
			usleep(RECORD_FOLLOW_POLL_US);
			continue;
		}
		if (fd < 0)
			return fd;
		ret = record_loop(fd, r, stop, e);
		close(fd);
		if (ret)
			break;
	}
	return ret;
}
