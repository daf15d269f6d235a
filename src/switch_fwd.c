// SPDX-License-Identifier: GPL-2.0
/*
 * The switch's ports and forwarding (see switch.h): the forwarding
 * database, accepting and removing ports, receiving a batch, learning,
 * flooding or forwarding each frame, and sending each port's queue in one
 * sendmmsg. Frames between a port with virtio-net headers and one without
 * are converted here (switch_vnet.c does the work).
 */
#include <errno.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "switch_priv.h"

static void fmt_mac(const unsigned char *m, char *buf)
{
	sprintf(buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		m[4], m[5]);
}

/* forwarding database: a small array, linear search, swap-remove */

static void fdb_del(struct sw *sw, int i)
{
	sw->fdb[i] = sw->fdb[--sw->nfdb];
}

static int fdb_find(struct sw *sw, const unsigned char *mac)
{
	int i;

	for (i = 0; i < sw->nfdb; i++)
		if (!memcmp(sw->fdb[i].mac, mac, 6))
			return i;
	return -1;
}

static void fdb_learn(struct sw *sw, int slot, const unsigned char *mac,
		      long long now)
{
	int i = fdb_find(sw, mac);
	char m[18];

	if (i >= 0) {
		if (sw->fdb[i].slot != slot) {
			fmt_mac(mac, m);
			sw_log(sw, SWITCH_LOG_DEBUG,
			       "%s moved from port %u to port %u", m,
			       sw->ports[sw->fdb[i].slot].st.id,
			       sw->ports[slot].st.id);
			sw->fdb[i].slot = slot;
		}
		sw->fdb[i].seen = now;
		return;
	}
	if (sw->nfdb >= SWITCH_FDB_MAX)
		return; /* full: this MAC stays unknown, its frames flood */
	i = sw->nfdb++;
	memcpy(sw->fdb[i].mac, mac, 6);
	sw->fdb[i].slot = slot;
	sw->fdb[i].seen = now;
	fmt_mac(mac, m);
	sw_log(sw, SWITCH_LOG_DEBUG, "%s learned on port %u", m,
	       sw->ports[slot].st.id);
}

void fdb_age(struct sw *sw, long long now)
{
	char m[18];
	int i;

	for (i = sw->nfdb - 1; i >= 0; i--) {
		if (now - sw->fdb[i].seen < sw->cfg.aging_ms)
			continue;
		fmt_mac(sw->fdb[i].mac, m);
		sw_log(sw, SWITCH_LOG_DEBUG, "%s aged out of port %u", m,
		       sw->ports[sw->fdb[i].slot].st.id);
		fdb_del(sw, i);
	}
}

/* ports */

int switch_add_port(struct sw *sw, int fd)
{
	return switch_add_port_hdr(sw, fd, false);
}

struct port *port_new(struct sw *sw)
{
	struct port *pt = NULL;
	int i;

	for (i = 0; i < SWITCH_MAX_PORTS && !pt; i++)
		if (sw->ports[i].fd < 0)
			pt = &sw->ports[i];
	if (!pt) {
		sw_log(sw, SWITCH_LOG_WARN,
		       "all %d ports in use: refusing a new connection",
		       SWITCH_MAX_PORTS);
		return NULL;
	}
	memset(pt, 0, sizeof(*pt));
	pt->st.id = sw->next_id++;
	sw->ports_total++;
	return pt;
}

int switch_add_port_hdr(struct sw *sw, int fd, bool vnet)
{
	struct sockaddr_un sa;
	socklen_t salen;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct port *pt = port_new(sw);
	int sndbuf = SWITCH_SNDBUF;

	if (!pt)
		return -ENOSPC;
	pt->fd = fd;
	pt->vnet = vnet;
	pt->st.vnet = vnet;
	/*
	 * The send buffer is the port's queue: a UML that reads in bursts of
	 * its depth loses frames (TCP retransmits) with the default one.
	 * SO_SNDBUFFORCE (CAP_NET_ADMIN) goes past net.core.wmem_max.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (!getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen))
		pt->st.pid = cred.pid;
	/* the peer's bound address (bess src), if it bound one */
	salen = sizeof(sa);
	memset(&sa, 0, sizeof(sa));
	if (!getpeername(fd, (struct sockaddr *)&sa, &salen) &&
	    salen > offsetof(struct sockaddr_un, sun_path) && sa.sun_path[0])
		strscpy(pt->st.name, sa.sun_path, sizeof(pt->st.name));
	sw_log(sw, SWITCH_LOG_INFO, "port %u up: pid %d%s%s%s", pt->st.id,
	       (int)pt->st.pid, vnet ? ", virtio-net headers" : "",
	       pt->st.name[0] ? ", " : "", pt->st.name);
	return 0;
}

void port_accept(struct sw *sw, int lfd, bool vnet)
{
	int fd;

	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR)
			sw_log(sw, SWITCH_LOG_WARN, "accept: %s",
			       strerror(errno));
		return;
	}
	if (switch_add_port_hdr(sw, fd, vnet))
		close(fd);
}

void port_remove(struct sw *sw, int slot)
{
	struct port *pt = &sw->ports[slot];
	int i, n = 0;

	for (i = sw->nfdb - 1; i >= 0; i--)
		if (sw->fdb[i].slot == slot) {
			fdb_del(sw, i);
			n++;
		}
	sw_log(sw, SWITCH_LOG_INFO,
	       "port %u down: pid %d, rx %llu tx %llu frames, %d MACs forgotten",
	       pt->st.id, (int)pt->st.pid, (unsigned long long)pt->st.rx_frames,
	       (unsigned long long)pt->st.tx_frames, n);
	close(pt->fd);
	pt->fd = -1;
	pt->dead = false;
}

static bool hung_up(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDHUP };

	return poll(&p, 1, 0) == 1 &&
	       (p.revents & (POLLHUP | POLLRDHUP | POLLERR));
}

/* msg: frame buf for pt, with the L2TPv3 header and address of a remote */
static void msg_set(struct port *pt, struct mmsghdr *msg, struct iovec *v,
		    void *buf, size_t len)
{
	int n = 0;

	memset(msg, 0, sizeof(*msg));
	if (pt->l2tp) {
		v[n].iov_base = pt->l2hdr;
		v[n++].iov_len = SWITCH_L2TP_HDR_LEN;
		msg->msg_hdr.msg_name = &pt->addr;
		msg->msg_hdr.msg_namelen = pt->alen;
	}
	v[n].iov_base = buf;
	v[n++].iov_len = len;
	msg->msg_hdr.msg_iov = v;
	msg->msg_hdr.msg_iovlen = n;
}

static void enqueue(struct port *pt, void *buf, size_t len)
{
	unsigned int i;

	if (pt->fd < 0 || pt->dead || pt->ntx >= SWITCH_BATCH)
		return; /* cannot happen: at most one batch per round */
	i = pt->ntx++;
	msg_set(pt, &pt->txq[i], pt->txiov[i], buf, len);
}

/* the peer is gone: its port goes */
static bool peer_gone(int err)
{
	return err == -EPIPE || err == -ECONNRESET || err == -ENOTCONN ||
	       err == -ECONNREFUSED || err == -EBADF;
}

/*
 * Send cnt messages to pt now; count what went and what did not. A full
 * peer (EAGAIN) drops the rest of the batch; a message the kernel refuses
 * on its own (EMSGSIZE, ENOBUFS under memory pressure, or any error on
 * L2TP's UDP socket, which is everyone's) is dropped alone and the rest
 * still go; only a peer that went away takes its port down.
 */
static void send_now(struct sw *sw, struct port *pt, struct mmsghdr *msg,
		     unsigned int cnt)
{
	unsigned int j, done = 0,
			hdr = pt->vnet	 ? SWITCH_VNET_HDR_LEN
			      : pt->l2tp ? SWITCH_L2TP_HDR_LEN
					 : 0;
	int n;

	while (done < cnt && !pt->dead) {
		n = sendmmsg_nb(pt->fd, msg + done, cnt - done);
		if (n == 0)
			break;
		if (n > 0) {
			for (j = done; j < done + (unsigned int)n; j++)
				pt->st.tx_bytes += msg[j].msg_len - hdr;
			pt->st.tx_frames += n;
			done += n;
			continue;
		}
		if (!pt->l2tp && peer_gone(n)) {
			sw_log(sw, SWITCH_LOG_INFO, "port %u: send: %s",
			       pt->st.id, strerror(-n));
			pt->dead = true;
			break;
		}
		if (!pt->warned)
			sw_log(sw, SWITCH_LOG_WARN, "port %u (%s): send: %s",
			       pt->st.id, pt->st.name, strerror(-n));
		pt->warned = true;
		pt->st.tx_dropped++;
		done++;
	}
	pt->st.tx_dropped += cnt - done;
}

static void flush_port(struct sw *sw, struct port *pt)
{
	if (!pt->ntx)
		return;
	send_now(sw, pt, pt->txq, pt->ntx);
	pt->ntx = 0;
}

void ports_flush(struct sw *sw)
{
	int i;

	for (i = 0; i < SWITCH_MAX_PORTS; i++)
		flush_port(sw, &sw->ports[i]);
}

/*
 * A frame from a header port to a port without: its checksum completed or
 * its GSO segments, sent at once after what is queued for the port.
 */
static void send_plain(struct sw *sw, struct port *pt,
		       const struct virtio_net_hdr *h, const unsigned char *f,
		       size_t len)
{
	int i, n = 0, ret;

	ret = vnet_to_plain(h, f, len, sw->segbuf, SWITCH_SEG_BUF, sw->segiov,
			    SWITCH_GSO_SEGS_MAX, &n);
	if (ret) {
		pt->st.tx_dropped++;
		if (!pt->warned)
			sw_log(sw, SWITCH_LOG_WARN,
			       "port %u: a frame with virtio-net header (gso_type %u, gso_size %u) cannot be made fit for it: %s; dropped",
			       pt->st.id, h->gso_type, h->gso_size,
			       strerror(-ret));
		pt->warned = true;
		return;
	}
	flush_port(sw, pt);
	for (i = 0; i < n; i++)
		msg_set(pt, &sw->segmsg[i], sw->segv[i], sw->segiov[i].iov_base,
			sw->segiov[i].iov_len);
	if (h->gso_type != VIRTIO_NET_HDR_GSO_NONE)
		pt->st.segmented++;
	send_now(sw, pt, sw->segmsg, n);
}

/*
 * Queue frame f (len bytes, its header h right in front of it) for the
 * port in slot out, in the form that port takes.
 */
static void deliver(struct sw *sw, int out, struct virtio_net_hdr *h,
		    unsigned char *f, size_t len)
{
	struct port *pt = &sw->ports[out];

	if (pt->fd < 0 || pt->dead)
		return;
	if (pt->l2tp && !pt->alen) {
		pt->st.tx_dropped++; /* its name does not resolve yet */
		return;
	}
	if (pt->vnet)
		enqueue(pt, h, SWITCH_VNET_HDR_LEN + len);
	else if (h->gso_type == VIRTIO_NET_HDR_GSO_NONE &&
		 !(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		enqueue(pt, f, len);
	else
		send_plain(sw, pt, h, f, len);
}

static void flood(struct sw *sw, int in, struct virtio_net_hdr *h,
		  unsigned char *f, size_t len)
{
	int i;

	for (i = 0; i < SWITCH_MAX_PORTS; i++)
		if (i != in && sw->ports[i].fd >= 0)
			deliver(sw, i, h, f, len);
}

/* a copy of a forwarded frame to --mirror and the monitor readers */
static void mirror(struct sw *sw, const unsigned char *f, size_t len)
{
	struct timeval tv;
	uint32_t rec[4];
	struct iovec iov[2] = { { rec, sizeof(rec) }, { (void *)f, len } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
	int i;

	gettimeofday(&tv, NULL);
	rec[0] = tv.tv_sec;
	rec[1] = tv.tv_usec;
	rec[2] = rec[3] = len;
	if (sw->mirror.fd >= 0) {
		int ret = pcap_ring_write(&sw->mirror, &tv, f, len);

		if (ret)
			sw_log(sw, SWITCH_LOG_WARN, "--mirror %s: %s: stopped",
			       sw->mirror.path, strerror(-ret));
	}
	for (i = 0; i < SWITCH_MAX_MON; i++) {
		if (sw->mon[i] < 0)
			continue;
		if (sendmsg(sw->mon[i], &msg, MSG_DONTWAIT | MSG_NOSIGNAL) <
			    0 &&
		    errno != EAGAIN && errno != ENOBUFS) {
			close(sw->mon[i]);
			sw->mon[i] = -1;
		}
	}
}

void mon_accept(struct sw *sw)
{
	int fd, i;

	fd = accept4(sw->monfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	for (i = 0; i < SWITCH_MAX_MON; i++)
		if (sw->mon[i] < 0) {
			sw->mon[i] = fd;
			sw_log(sw, SWITCH_LOG_INFO, "monitor reader %d up", i);
			return;
		}
	sw_log(sw, SWITCH_LOG_WARN,
	       "%d monitor readers already: refusing another", SWITCH_MAX_MON);
	close(fd);
}

void port_forward(struct sw *sw, int in, struct virtio_net_hdr *h,
		  unsigned char *f, size_t len, long long now)
{
	struct port *pt = &sw->ports[in];
	int i;

	if (f[6] & 1) {
		pt->st.bad_src++;
		return;
	}
	if (sw->mirror.fd >= 0 || sw->nmon)
		mirror(sw, f, len);
	pt->st.rx_frames++;
	pt->st.rx_bytes += len;
	fdb_learn(sw, in, f + 6, now);
	if (f[0] & 1) {
		pt->st.flooded++;
		flood(sw, in, h, f, len);
		return;
	}
	i = fdb_find(sw, f);
	if (i < 0 || now - sw->fdb[i].seen >= sw->cfg.aging_ms) {
		pt->st.unknown++;
		flood(sw, in, h, f, len);
	} else if (sw->fdb[i].slot == in) {
		pt->st.filtered++;
	} else {
		deliver(sw, sw->fdb[i].slot, h, f, len);
	}
}

/* a header port's frame: is its header one a vector driver sends? */
static bool hdr_ok(struct sw *sw, struct port *pt, struct virtio_net_hdr *h,
		   const unsigned char *f, size_t len)
{
	if (!vnet_hdr_check(h, f, len))
		return true;
	pt->st.bad_hdr++;
	if (!pt->warned)
		sw_log(sw, SWITCH_LOG_WARN,
		       "port %u: a frame without a valid virtio-net header (flags 0x%x, gso_type 0x%x): does the node connect to %s with bess vnet_hdr=1 and a kernel with umnet's patch 0006? Dropped; bad_hdr counts them",
		       pt->st.id, h->flags, h->gso_type, sw->vnet_path);
	pt->warned = true;
	return false;
}

void port_rx(struct sw *sw, int slot, short revents)
{
	struct port *pt = &sw->ports[slot];
	unsigned int hdr = pt->vnet ? SWITCH_VNET_HDR_LEN : 0;
	long long now = now_ms();
	int n, i;

	if (!(revents & POLLIN)) {
		if (revents & (POLLHUP | POLLERR))
			pt->dead = true;
		return;
	}
	/* a header port's frame lands right after its header */
	for (i = 0; i < SWITCH_BATCH; i++) {
		unsigned char *b = sw->rxbuf + (size_t)i * SWITCH_SLOT;

		sw->rxiov[i].iov_base = b + SWITCH_VNET_HDR_LEN - hdr;
		sw->rxiov[i].iov_len = SWITCH_FRAME_MAX + hdr;
		sw->rxmsg[i].msg_hdr.msg_flags = 0;
	}
	n = recvmmsg_nb(pt->fd, sw->rxmsg, SWITCH_BATCH);
	if (n < 0) {
		sw_log(sw, SWITCH_LOG_INFO, "port %u: receive: %s", pt->st.id,
		       strerror(-n));
		pt->dead = true;
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char *b = sw->rxbuf + (size_t)i * SWITCH_SLOT;
		struct virtio_net_hdr *h = (struct virtio_net_hdr *)b;
		unsigned char *f = b + SWITCH_VNET_HDR_LEN;
		unsigned int len = sw->rxmsg[i].msg_len;

		if (sw->rxmsg[i].msg_hdr.msg_flags & MSG_TRUNC) {
			pt->st.oversize++;
			continue;
		}
		/* a zero-length read is the end of the connection... */
		if (len == 0 &&
		    ((revents & (POLLHUP | POLLRDHUP)) || hung_up(pt->fd))) {
			pt->dead = true;
			break;
		}
		/* ...or an empty message: a runt like any other */
		if (len < SWITCH_FRAME_MIN + hdr) {
			pt->st.runt++;
			continue;
		}
		len -= hdr;
		if (!hdr)
			memset(h, 0, sizeof(*h)); /* nothing offloaded */
		else if (!hdr_ok(sw, pt, h, f, len))
			continue;
		port_forward(sw, slot, h, f, len, now);
	}
	ports_flush(sw);
}
