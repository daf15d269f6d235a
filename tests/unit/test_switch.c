// SPDX-License-Identifier: GPL-2.0
/*
 * The learning switch (src/switch.c) in-process, with real SOCK_SEQPACKET
 * clients as ports: learning, flooding and when it stops, aging, runt and
 * oversized frames, a peer that does not read, garbage, port removal on
 * disconnect, the control socket, stale and busy socket paths; ports with
 * virtio-net headers (PATH.vnet) and the conversions between them and
 * ports without: empty headers added, checksums completed, TSO frames cut
 * into segments (TCP over IPv4 and IPv6).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "switch.h"
#include "unit.h"

static char dir[64];
static unsigned char buf[SWITCH_FRAME_MAX + 100];

static const unsigned char BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void mac(unsigned char *m, int n)
{
	static const unsigned char base[6] = { 0x02, 0, 0, 0, 0x77, 0 };

	memcpy(m, base, 6);
	m[5] = n;
}

static int client(const char *path)
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

static void pump(struct sw *sw)
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
static void send_frame(int fd, const unsigned char *dst,
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
static int drain(int fd, ssize_t *last)
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

static const struct switch_port_stats *port(struct switch_status *st,
					    uint32_t id)
{
	uint32_t i;

	for (i = 0; i < st->hdr.nports; i++)
		if (st->ports[i].id == id)
			return &st->ports[i];
	printf("port %u not found\n", id);
	exit(1);
}

static struct switch_status st;

static void learning(void)
{
	struct switch_config cfg = { .aging_ms = 300000 };
	unsigned char ma[6], mb[6], mc[6], mx[6];
	struct err e = { "" };
	struct sw *sw = NULL;
	int a, b, c, ret;
	ssize_t last = 0;
	struct stat sb;

	mac(ma, 1);
	mac(mb, 2);
	mac(mc, 3);
	mac(mx, 9);
	snprintf(cfg.path, sizeof(cfg.path), "%s/sw", dir);
	ret = switch_open(&sw, &cfg, &e);
	CHECK("open a switch", ret == 0, "%s", e.msg);
	if (ret)
		return;
	CHECK("the socket and its .ctl exist",
	      !stat(cfg.path, &sb) && S_ISSOCK(sb.st_mode) &&
		      !stat(strcat(strcpy((char *)buf, cfg.path), ".ctl"), &sb),
	      "missing");
	a = client(cfg.path);
	b = client(cfg.path);
	c = client(cfg.path);
	pump(sw);
	switch_get_status(sw, &st);
	CHECK_INT("three clients are three ports", st.hdr.nports, 3);
	CHECK("ports 1..3 with our pid",
	      st.ports[0].id == 1 && st.ports[2].id == 3 &&
		      st.ports[1].pid == getpid(),
	      "ids %u %u pid %d", st.ports[0].id, st.ports[2].id,
	      st.ports[1].pid);

	/* a -> b while b is unknown: flooded to b and c */
	send_frame(a, mb, ma, 60, 1);
	pump(sw);
	CHECK("unknown unicast reaches b", drain(b, &last) == 1 && last == 60,
	      "last %zd", last);
	CHECK_INT("unknown unicast is flooded to c too", drain(c, NULL), 1);
	CHECK_INT("...but not back to a", drain(a, NULL), 0);

	/* b -> a: a was learned, so only a gets it */
	send_frame(b, ma, mb, 100, 2);
	pump(sw);
	CHECK_INT("reply reaches a", drain(a, NULL), 1);
	CHECK_INT("reply to a learned MAC is not flooded to c", drain(c, NULL),
		  0);

	/* a -> b again: both learned now, no flooding */
	send_frame(a, mb, ma, 1514, 3);
	pump(sw);
	CHECK("a -> b after learning reaches b",
	      drain(b, &last) == 1 && last == 1514, "last %zd", last);
	CHECK_INT("a -> b after learning is not flooded to c", drain(c, NULL),
		  0);

	/* broadcast from c: a and b */
	send_frame(c, BCAST, mc, 42, 4);
	pump(sw);
	CHECK("broadcast reaches a and b",
	      drain(a, NULL) == 1 && drain(b, NULL) == 1, "no");
	CHECK_INT("broadcast is not sent back to c", drain(c, NULL), 0);

	/* to oneself: filtered */
	send_frame(a, ma, ma, 60, 5);
	/* runts: 0, 5 and 13 bytes; a multicast source */
	send_frame(a, mb, ma, 0, 6);
	send_frame(a, mb, ma, 5, 6);
	send_frame(a, mb, ma, 13, 6);
	send_frame(a, mb, BCAST, 60, 7);
	/* the largest frame passes, one byte more does not */
	send_frame(a, mb, ma, SWITCH_FRAME_MAX, 8);
	send_frame(a, mb, ma, SWITCH_FRAME_MAX + 1, 9);
	send_frame(a, mb, ma, 100000, 9);
	pump(sw);
	CHECK("of all that only the largest frame reaches b",
	      drain(b, &last) == 1 && last == SWITCH_FRAME_MAX, "last %zd",
	      last);
	CHECK_INT("nothing reaches c", drain(c, NULL), 0);
	CHECK_INT("nothing comes back to a", drain(a, NULL), 0);
	switch_get_status(sw, &st);
	{
		const struct switch_port_stats *pa = port(&st, 1);
		const struct switch_port_stats *pb = port(&st, 2);
		const struct switch_port_stats *pc = port(&st, 3);

		CHECK_INT("a: runts counted (0, 5, 13 bytes)", pa->runt, 3);
		CHECK_INT("a: oversized counted (65550, 100000 bytes)",
			  pa->oversize, 2);
		CHECK_INT("a: multicast source counted", pa->bad_src, 1);
		CHECK_INT("a: frame to its own MAC filtered", pa->filtered, 1);
		CHECK_INT("a: one unknown unicast", pa->unknown, 1);
		CHECK_INT("a: rx frames (3 sent + self + largest)",
			  pa->rx_frames, 4);
		CHECK_INT("a: rx bytes", pa->rx_bytes,
			  60 + 1514 + 60 + SWITCH_FRAME_MAX);
		CHECK_INT("b: tx frames", pb->tx_frames, 4);
		CHECK_INT("b: tx bytes", pb->tx_bytes,
			  60 + 1514 + 42 + SWITCH_FRAME_MAX);
		CHECK_INT("c: flooded one broadcast", pc->flooded, 1);
		CHECK_INT("c: tx = one flooded unknown unicast", pc->tx_frames,
			  1);
		CHECK("one MAC learned on each port",
		      pa->macs == 1 && pb->macs == 1 && pc->macs == 1,
		      "%u %u %u", pa->macs, pb->macs, pc->macs);
	}

	/* garbage of every length: never crashes, counted */
	{
		int i;

		for (i = 0; i < 500; i++) {
			size_t len = (size_t)rand() % 200;
			unsigned char g[200];
			size_t j;

			for (j = 0; j < len; j++)
				g[j] = rand();
			g[6] &= 0xfe; /* a unicast source, so mostly forwarded */
			if (send(c, g, len, 0) < 0)
				break;
			if (i % 16 == 0)
				pump(sw);
		}
		pump(sw);
		drain(a, NULL);
		drain(b, NULL);
		switch_get_status(sw, &st);
		CHECK("500 garbage messages: all ports still there",
		      st.hdr.nports == 3, "nports %u", st.hdr.nports);
		CHECK("garbage: runts and frames counted, none lost",
		      port(&st, 3)->rx_frames + port(&st, 3)->runt +
				      port(&st, 3)->bad_src ==
			      500 + 1,
		      "rx %llu runt %llu bad_src %llu",
		      (unsigned long long)port(&st, 3)->rx_frames,
		      (unsigned long long)port(&st, 3)->runt,
		      (unsigned long long)port(&st, 3)->bad_src);
	}

	/* b goes away: its port and its MAC go, a and c keep working */
	close(b);
	pump(sw);
	switch_get_status(sw, &st);
	CHECK("closing b removes its port",
	      st.hdr.nports == 2 && st.ports[0].id == 1 && st.ports[1].id == 3,
	      "nports %u", st.hdr.nports);
	send_frame(a, mb, ma, 60, 10);
	pump(sw);
	switch_get_status(sw, &st);
	CHECK_INT("b's MAC is unknown again: flooded to c", drain(c, NULL), 1);
	CHECK_INT("a's counters survive b leaving", port(&st, 1)->unknown, 2);
	send_frame(c, ma, mc, 60, 11);
	pump(sw);
	CHECK_INT("c -> a still works", drain(a, NULL), 1);

	/* a peer that does not read: frames to it are dropped, not queued */
	{
		int i;

		/* 60 MB: past the port's send buffer (SWITCH_SNDBUF) */
		for (i = 0; i < 3000; i++) {
			send_frame(a, BCAST, ma, 20000, 12);
			if (i % 8 == 7)
				pump(sw);
		}
		pump(sw);
		switch_get_status(sw, &st);
		drain(c, NULL);
		CHECK("a port that does not read gets tx_dropped, the switch goes on",
		      port(&st, 3)->tx_dropped > 0 &&
			      port(&st, 3)->tx_frames +
					      port(&st, 3)->tx_dropped >=
				      3000,
		      "tx %llu dropped %llu",
		      (unsigned long long)port(&st, 3)->tx_frames,
		      (unsigned long long)port(&st, 3)->tx_dropped);
	}

	/* a second switch on the same path is refused */
	{
		struct sw *sw2 = NULL;

		ret = switch_open(&sw2, &cfg, &e);
		CHECK("a second switch on a busy path: EADDRINUSE",
		      ret == -EADDRINUSE && strstr(e.msg, "another switch"),
		      "%d %s", ret, e.msg);
		if (!ret)
			switch_close(sw2);
	}
	/* its probe connected and hung up: a port for one round, then gone */
	pump(sw);

	/* the control socket, from another process */
	{
		pid_t pid = fork();

		if (pid == 0) {
			long long end = now_ms() + 3000;

			while (now_ms() < end)
				switch_run_once(sw, 50, NULL, &e);
			_exit(0);
		}
		memset(&st, 0, sizeof(st));
		ret = switch_status_fetch(cfg.path, &st, &e);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		CHECK("status over PATH.ctl",
		      ret == 0 && st.hdr.nports == 2 && st.hdr.pid == pid &&
			      st.hdr.ports_total == 4 &&
			      st.ports[0].unknown == 2,
		      "ret %d %s nports %u pid %d", ret, e.msg, st.hdr.nports,
		      st.hdr.pid);
	}

	close(a);
	close(c);
	switch_close(sw);
	CHECK("close removes the socket and PATH.ctl",
	      stat(cfg.path, &sb) < 0 && stat((char *)buf, &sb) < 0 &&
		      errno == ENOENT,
	      "left");
	ret = switch_status_fetch(cfg.path, &st, &e);
	CHECK("status of a stopped switch: ENOENT, says what to run",
	      ret == -ENOENT && strstr(e.msg, "is 'umnet switch -s"), "%d %s",
	      ret, e.msg);
}

static void aging(void)
{
	struct switch_config cfg = { .aging_ms = 1000 };
	unsigned char ma[6], mb[6];
	struct err e = { "" };
	struct sw *sw = NULL;
	int a, b, c, ret;
	long long end;

	mac(ma, 1);
	mac(mb, 2);
	snprintf(cfg.path, sizeof(cfg.path), "%s/age", dir);
	ret = switch_open(&sw, &cfg, &e);
	CHECK("open a switch with 1 s aging", ret == 0, "%s", e.msg);
	if (ret)
		return;
	a = client(cfg.path);
	b = client(cfg.path);
	c = client(cfg.path);
	pump(sw);
	send_frame(b, BCAST, mb, 60, 1);
	pump(sw);
	drain(a, NULL);
	drain(c, NULL);
	send_frame(a, mb, ma, 60, 2);
	pump(sw);
	CHECK("learned: a -> b not flooded",
	      drain(b, NULL) == 1 && drain(c, NULL) == 0, "flooded");
	switch_get_status(sw, &st);
	CHECK_INT("two MACs learned", st.hdr.fdb, 2);
	end = now_ms() + 1300;
	while (now_ms() < end)
		switch_run_once(sw, 100, NULL, &e);
	switch_get_status(sw, &st);
	CHECK_INT("after 1.3 s without frames both MACs aged out", st.hdr.fdb,
		  0);
	send_frame(a, mb, ma, 60, 3);
	pump(sw);
	CHECK("aged out: a -> b flooded again",
	      drain(b, NULL) == 1 && drain(c, NULL) == 1, "not flooded");
	close(a);
	close(b);
	close(c);
	switch_close(sw);
}

static void paths(void)
{
	struct switch_config cfg = { .aging_ms = 300000 };
	struct err e = { "" };
	struct sw *sw = NULL;
	int fd, ret;

	/* a stale socket (its switch was killed) is replaced */
	snprintf(cfg.path, sizeof(cfg.path), "%s/stale", dir);
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		strscpy(sa.sun_path, cfg.path, sizeof(sa.sun_path));
		fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		bind(fd, (struct sockaddr *)&sa, sizeof(sa));
		close(fd);
	}
	ret = switch_check(&cfg, &e);
	CHECK("check: a stale socket is fine", ret == 0, "%s", e.msg);
	ret = switch_open(&sw, &cfg, &e);
	CHECK("open replaces a stale socket", ret == 0, "%s", e.msg);
	switch_close(sw);

	snprintf(cfg.path, sizeof(cfg.path), "%s/file", dir);
	close(open(cfg.path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
	ret = switch_check(&cfg, &e);
	CHECK("check: a regular file at the path is refused",
	      ret == -EEXIST && strstr(e.msg, "is not a socket"), "%d %s", ret,
	      e.msg);
	unlink(cfg.path);

	snprintf(cfg.path, sizeof(cfg.path), "%s/nodir/sw", dir);
	ret = switch_check(&cfg, &e);
	CHECK("check: a missing directory is named",
	      ret == -ENOENT && strstr(e.msg, "does not exist"), "%d %s", ret,
	      e.msg);

	memset(cfg.path, 'x', SWITCH_PATH_MAX + 1);
	cfg.path[0] = '/';
	cfg.path[SWITCH_PATH_MAX + 1] = '\0';
	ret = switch_check(&cfg, &e);
	CHECK("check: a path with no room for .vnet is refused",
	      ret == -ENAMETOOLONG && strstr(e.msg, "shorter path"), "%d %s",
	      ret, e.msg);

	snprintf(cfg.path, sizeof(cfg.path), "%s/sw", dir);
	cfg.aging_ms = 0;
	ret = switch_check(&cfg, &e);
	CHECK("check: aging 0 is refused", ret == -ERANGE, "%d %s", ret, e.msg);

	{
		struct mmsghdr m = { 0 };
		int sv[2];

		socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv);
		CHECK_INT("recvmmsg_nb on an empty socket returns 0",
			  recvmmsg_nb(sv[0], &m, 1), 0);
		close(sv[0]);
		close(sv[1]);
		CHECK_INT("recvmmsg_nb on a closed fd returns -EBADF",
			  recvmmsg_nb(sv[0], &m, 1), -EBADF);
	}
}

/* virtio-net header ports */

static uint32_t sum16(const unsigned char *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/*
 * A TCP frame from mb to ma of pay payload bytes (byte i is i * 7), IPv4
 * or IPv6, with FIN|PSH|CWR|ACK set and 12 bytes of TCP options; the
 * header offsets in *h as a TSO sender would fill them (checksum field =
 * the pseudo-header sum, not complemented). Returns the frame length.
 */
static size_t tcp_frame(unsigned char *f, bool v6, size_t pay, uint16_t mss,
			struct virtio_net_hdr *h, const unsigned char *ma,
			const unsigned char *mb)
{
	size_t l3 = 14, l4 = v6 ? 54 : 34, hlen = l4 + 32, i;
	uint32_t ps;

	memset(f, 0, hlen);
	memcpy(f, ma, 6);
	memcpy(f + 6, mb, 6);
	f[12] = v6 ? 0x86 : 0x08;
	f[13] = v6 ? 0xdd : 0x00;
	if (v6) {
		f[l3] = 0x60;
		f[l3 + 4] = (hlen + pay - l3 - 40) >> 8;
		f[l3 + 5] = (hlen + pay - l3 - 40) & 0xff;
		f[l3 + 6] = 6;
		f[l3 + 7] = 64;
		for (i = 0; i < 32; i++)
			f[l3 + 8 + i] = 0x20 + i;
	} else {
		f[l3] = 0x45;
		f[l3 + 2] = (hlen + pay - l3) >> 8;
		f[l3 + 3] = (hlen + pay - l3) & 0xff;
		f[l3 + 4] = 0x12;
		f[l3 + 5] = 0x34;
		f[l3 + 6] = 0x40; /* DF */
		f[l3 + 8] = 64;
		f[l3 + 9] = 6;
		memcpy(f + l3 + 12, "\x0a\x3f\x00\x01\x0a\x3f\x00\x02", 8);
		ps = (uint16_t)~fold(sum16(f + l3, 20, 0));
		f[l3 + 10] = ps >> 8;
		f[l3 + 11] = ps & 0xff;
	}
	f[l4 + 1] = 80;
	f[l4 + 3] = 22;
	memcpy(f + l4 + 4, "\xff\xff\xff\x00", 4); /* seq wraps */
	f[l4 + 12] = 8 << 4; /* 32 bytes */
	f[l4 + 13] = 0x80 | 0x10 | 0x08 | 0x01;
	f[l4 + 20] = 1; /* options: NOP NOP timestamps */
	f[l4 + 21] = 1;
	f[l4 + 22] = 8;
	f[l4 + 23] = 10;
	for (i = 0; i < pay; i++)
		f[hlen + i] = i * 7;
	ps = v6 ? sum16(f + l3 + 8, 32, 0) + hlen + pay - l4 + 6
		: sum16(f + l3 + 12, 8, 0) + hlen + pay - l4 + 6;
	f[l4 + 16] = fold(ps) >> 8;
	f[l4 + 17] = fold(ps) & 0xff;
	memset(h, 0, sizeof(*h));
	h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->csum_start = l4;
	h->csum_offset = 16;
	if (pay > mss) {
		h->gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6
				 : VIRTIO_NET_HDR_GSO_TCPV4;
		h->gso_size = mss;
		h->hdr_len = hlen;
	}
	return hlen + pay;
}

/* are the IP and TCP checksums of segment s right? */
static bool seg_sums_ok(const unsigned char *s, size_t len, bool v6)
{
	size_t l3 = 14, l4 = v6 ? 54 : 34;
	uint32_t ps;

	if (!v6 && fold(sum16(s + l3, 20, 0)) != 0xffff)
		return false;
	ps = v6 ? sum16(s + l3 + 8, 32, 0) : sum16(s + l3 + 12, 8, 0);
	ps += len - l4 + 6;
	return fold(sum16(s + l4, len - l4, ps)) == 0xffff;
}

static void send_hdr(int fd, const struct virtio_net_hdr *h,
		     const unsigned char *f, size_t len)
{
	struct iovec iov[2] = { { (void *)h, sizeof(*h) }, { (void *)f, len } };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };

	if (sendmsg(fd, &m, 0) != (ssize_t)(sizeof(*h) + len)) {
		perror("sendmsg");
		exit(1);
	}
}

static void sockpair(int sv[2])
{
	int size = 4 << 20;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       0, sv)) {
		perror("socketpair");
		exit(1);
	}
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

/* segments of a TSO frame as a port without headers gets them */
static void check_segments(int fd, const unsigned char *orig, size_t olen,
			   bool v6, uint16_t mss, const char *what)
{
	static unsigned char got[70000];
	size_t l4 = v6 ? 54 : 34, hlen = l4 + 32, pay = olen - hlen, off = 0;
	int n = 0, want = (pay + mss - 1) / mss;
	bool sums = true, seqs = true, flags = true, lens = true, ids = true;
	char name[128];
	ssize_t r;

	while ((r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		size_t sp = r - hlen;
		uint32_t seq = (uint32_t)buf[l4 + 4] << 24 | buf[l4 + 5] << 16 |
			       buf[l4 + 6] << 8 | buf[l4 + 7];
		unsigned char fl = buf[l4 + 13];

		sums = sums && seg_sums_ok(buf, r, v6);
		seqs = seqs && seq == (uint32_t)(0xffffff00u + off);
		lens = lens && sp == (n < want - 1 ? mss : pay - off) &&
		       (v6 ? (buf[18] << 8 | buf[19]) == r - 54
			   : (buf[16] << 8 | buf[17]) == r - 14);
		ids = ids && (v6 || (buf[18] << 8 | buf[19]) == 0x1234 + n);
		flags = flags &&
			fl == (unsigned char)((n ? 0 : 0x80) | 0x10 |
					      (n == want - 1 ? 0x09 : 0));
		if (off + sp <= sizeof(got))
			memcpy(got + off, buf + hlen, sp);
		off += sp;
		n++;
	}
	snprintf(name, sizeof(name), "%s: %d segments of %u", what, want, mss);
	CHECK_INT(name, n, want);
	snprintf(name, sizeof(name), "%s: payload in order, nothing lost",
		 what);
	CHECK(name, off == pay && !memcmp(got, orig + hlen, pay), "%zu of %zu",
	      off, pay);
	snprintf(name, sizeof(name), "%s: IP and TCP checksums right", what);
	CHECK(name, sums, "a segment's checksum is wrong");
	snprintf(name, sizeof(name),
		 "%s: lengths, sequence numbers%s, FIN/PSH last, CWR first",
		 what, v6 ? "" : ", IP IDs");
	CHECK(name, lens && seqs && ids && flags,
	      "lens %d seqs %d ids %d flags %d", lens, seqs, ids, flags);
}

/* vnet_to_plain of frame f with h's gso_type and gso_size replaced */
static int to_plain(struct virtio_net_hdr h, uint8_t gso_type,
		    uint16_t gso_size, const unsigned char *f, size_t len)
{
	static unsigned char out[SWITCH_SEG_BUF];
	static struct iovec seg[SWITCH_GSO_SEGS_MAX];
	int n;

	h.gso_type = gso_type;
	h.gso_size = gso_size;
	return vnet_to_plain(&h, f, len, out, sizeof(out), seg,
			     SWITCH_GSO_SEGS_MAX, &n);
}

static void vnet_ports(void)
{
	static unsigned char f[70000];
	struct switch_config cfg = { .aging_ms = 300000 };
	unsigned char ma[6], mb[6], mc[6];
	struct virtio_net_hdr h, *gh = (struct virtio_net_hdr *)buf;
	int a[2], b[2], c[2], n, ret;
	struct sw *sw = NULL;
	size_t len;
	ssize_t r;

	mac(ma, 1);
	mac(mb, 2);
	mac(mc, 3);
	ret = switch_new(&sw, &cfg);
	CHECK("a switch for header ports", ret == 0, "%d", ret);
	/* a and b send and get headers, c does not */
	sockpair(a);
	sockpair(b);
	sockpair(c);
	switch_add_port_hdr(sw, a[0], true);
	switch_add_port_hdr(sw, b[0], true);
	switch_add_port(sw, c[0]);
	switch_get_status(sw, &st);
	CHECK("status: ports 1 and 2 use headers, 3 does not",
	      port(&st, 1)->vnet && port(&st, 2)->vnet && !port(&st, 3)->vnet,
	      "%u %u %u", port(&st, 1)->vnet, port(&st, 2)->vnet,
	      port(&st, 3)->vnet);

	/* c (no header) broadcasts: a gets an empty header, then the frame */
	send_frame(c[1], BCAST, mc, 60, 1);
	pump(sw);
	r = recv(a[1], buf, sizeof(buf), MSG_DONTWAIT);
	CHECK("plain -> header port: 10 zero bytes, then the frame",
	      r == 70 && !memcmp(buf, "\0\0\0\0\0\0\0\0\0\0", 10) &&
		      !memcmp(buf + 10, BCAST, 6) && buf[69] == 1,
	      "%zd bytes", r);
	drain(b[1], NULL);

	/* b learns; a -> b: a TSO frame crosses whole, header and all */
	send_hdr(b[1], &(struct virtio_net_hdr){ 0 }, f,
		 tcp_frame(f, false, 60, 1448, &h, BCAST, mb));
	pump(sw);
	drain(a[1], NULL);
	drain(c[1], NULL);
	len = tcp_frame(f, false, 30000, 1448, &h, mb, ma);
	send_hdr(a[1], &h, f, len);
	pump(sw);
	r = recv(b[1], buf, sizeof(buf), MSG_DONTWAIT);
	CHECK("header -> header port: a 30 KB TSO frame, unchanged",
	      r == (ssize_t)(10 + len) && !memcmp(buf, &h, 10) &&
		      !memcmp(buf + 10, f, len),
	      "%zd bytes, want %zu", r, 10 + len);
	CHECK_INT("nothing to c (b is known)", drain(c[1], NULL), 0);

	/* c learns; a -> c: the TSO frame cut into segments */
	send_frame(c[1], BCAST, mc, 60, 2);
	pump(sw);
	drain(a[1], NULL);
	drain(b[1], NULL);
	len = tcp_frame(f, false, 30000, 1448, &h, mc, ma);
	send_hdr(a[1], &h, f, len);
	pump(sw);
	check_segments(c[1], f, len, false, 1448, "TCPv4 TSO -> plain");
	len = tcp_frame(f, true, 20000, 1220, &h, mc, ma);
	send_hdr(a[1], &h, f, len);
	pump(sw);
	check_segments(c[1], f, len, true, 1220, "TCPv6 TSO -> plain");
	switch_get_status(sw, &st);
	CHECK_INT("status: 2 frames segmented for port 3",
		  port(&st, 3)->segmented, 2);

	/* a small frame with a partial checksum: completed for c only */
	len = tcp_frame(f, false, 100, 1448, &h, BCAST, ma);
	send_hdr(a[1], &h, f, len);
	pump(sw);
	r = recv(c[1], buf, sizeof(buf), MSG_DONTWAIT);
	CHECK("NEEDS_CSUM -> plain: the checksum is completed",
	      r == (ssize_t)len && seg_sums_ok(buf, len, false), "%zd", r);
	r = recv(b[1], buf, sizeof(buf), MSG_DONTWAIT);
	CHECK("NEEDS_CSUM -> header port: left partial, flag kept",
	      r == (ssize_t)(10 + len) &&
		      gh->flags == VIRTIO_NET_HDR_F_NEEDS_CSUM &&
		      !memcmp(buf + 10, f, len),
	      "%zd", r);

	/* a peer on the header socket that sends no header */
	send_frame(a[1], BCAST, ma, 60, 3);
	pump(sw);
	n = drain(b[1], NULL) + drain(c[1], NULL);
	switch_get_status(sw, &st);
	CHECK("header port sending a bare frame: dropped, bad_hdr counts it",
	      n == 0 && port(&st, 1)->bad_hdr == 1,
	      "%d forwarded, bad_hdr %llu", n,
	      (unsigned long long)port(&st, 1)->bad_hdr);

	/* conversions that cannot be done are refused, not garbled */
	len = tcp_frame(f, false, 30000, 1448, &h, mc, ma);
	CHECK_INT("UDP GSO -> plain: -EPROTONOSUPPORT",
		  to_plain(h, VIRTIO_NET_HDR_GSO_UDP, 1448, f, len),
		  -EPROTONOSUPPORT);
	CHECK_INT("3000 segments: -ENOSPC", to_plain(h, h.gso_type, 10, f, len),
		  -ENOSPC);
	h.csum_start = 60000;
	CHECK_INT("csum_start past the frame: -EINVAL",
		  vnet_hdr_check(&h, f, len), -EINVAL);
	switch_close(sw);
	close(a[1]);
	close(b[1]);
	close(c[1]);
}

/* PATH.vnet: a connection there is a header port */
static void vnet_socket(void)
{
	struct switch_config cfg = { .aging_ms = 300000 };
	char vpath[sizeof(cfg.path) + 8];
	struct err e = { "" };
	struct sw *sw = NULL;
	int a, b, ret;

	snprintf(cfg.path, sizeof(cfg.path), "%s/vs", dir);
	snprintf(vpath, sizeof(vpath), "%s.vnet", cfg.path);
	ret = switch_open(&sw, &cfg, &e);
	CHECK("open: PATH.vnet listens too",
	      ret == 0 && access(vpath, F_OK) == 0, "%d %s", ret, e.msg);
	a = client(cfg.path);
	b = client(vpath);
	pump(sw);
	switch_get_status(sw, &st);
	CHECK("a port on PATH has no header, one on PATH.vnet has",
	      st.hdr.nports == 2 && !port(&st, 1)->vnet && port(&st, 2)->vnet,
	      "nports %u", st.hdr.nports);
	close(a);
	close(b);
	switch_close(sw);
	CHECK("close removes PATH.vnet", access(vpath, F_OK) < 0,
	      "still there");
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/umnet-switch.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	srand(42);
	learning();
	aging();
	paths();
	vnet_ports();
	vnet_socket();
	rmdir(dir);
	UNIT_DONE();
}
