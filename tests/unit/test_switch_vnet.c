// SPDX-License-Identifier: GPL-2.0
/*
 * The learning switch's ports with virtio-net headers (PATH.vnet) and the
 * conversions between them and ports without: empty headers added,
 * checksums completed, TSO frames cut into segments (TCP over IPv4 and
 * IPv6), refused conversions.
 */
#include "switch_unit.h"

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

/*
 * fd sends f, a TCP frame (tcp_frame) with its header h, and the switch
 * forwards it: the frame's length
 */
static size_t send_tcp(struct sw *sw, int fd, unsigned char *f, bool v6,
		       size_t pay, uint16_t mss, struct virtio_net_hdr *h,
		       const unsigned char *dst, const unsigned char *src)
{
	size_t len = tcp_frame(f, v6, pay, mss, h, dst, src);

	send_hdr(fd, h, f, len);
	pump(sw);
	return len;
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
	len = send_tcp(sw, a[1], f, false, 30000, 1448, &h, mb, ma);
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
	len = send_tcp(sw, a[1], f, false, 30000, 1448, &h, mc, ma);
	check_segments(c[1], f, len, false, 1448, "TCPv4 TSO -> plain");
	len = send_tcp(sw, a[1], f, true, 20000, 1220, &h, mc, ma);
	check_segments(c[1], f, len, true, 1220, "TCPv6 TSO -> plain");
	switch_get_status(sw, &st);
	CHECK_INT("status: 2 frames segmented for port 3",
		  port(&st, 3)->segmented, 2);

	/* a small frame with a partial checksum: completed for c only */
	len = send_tcp(sw, a[1], f, false, 100, 1448, &h, BCAST, ma);
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

/* a TSO frame from a header port to a remote (L2TPv3) port: segments */
static void vnet_to_l2tp(void)
{
	static unsigned char f[70000];
	struct switch_l2tp_peer peer;
	unsigned char ma[6], mb[6];
	struct virtio_net_hdr h;
	struct sockaddr_in to;
	unsigned int pa;
	int a, b[2], n = 0, ok = 0;
	struct sw *sw;
	size_t len;
	ssize_t r;
	unsigned char d[2000];

	mac(ma, 1);
	mac(mb, 2);
	a = udp_peer(&pa);
	l2tp_peer_ids(&peer, 0, pa);
	sw = l2tp_switch(&peer, 1, &to);
	sockpair(b);
	switch_add_port_hdr(sw, b[0], true);
	/* a's MAC learned on the remote port */
	l2tp_hdr_put(d, 100, 0xc00c1e00u);
	memset(d + 12, 0, 60);
	memcpy(d + 12, BCAST, 6);
	memcpy(d + 18, ma, 6);
	sendto(a, d, 72, 0, (struct sockaddr *)&to, sizeof(to));
	pump(sw);
	drain(b[1], NULL);
	/* b -> a: 10000 bytes of TCP payload, mss 1400: 8 segments */
	len = tcp_frame(f, false, 10000, 1400, &h, ma, mb);
	send_hdr(b[1], &h, f, len);
	pump(sw);
	while ((r = recv(a, buf, sizeof(buf), MSG_DONTWAIT)) >= 0) {
		uint32_t s, c;

		n++;
		if (!l2tp_hdr_get(buf, r, &s, &c) && s == 200 &&
		    c == 0xbeef0000u && r <= 12 + 14 + 20 + 32 + 1400 &&
		    seg_sums_ok(buf + 12, r - 12, false))
			ok++;
	}
	CHECK("a TSO frame to a remote port: 8 datagrams of at most mss",
	      n == 8 && ok == 8, "%d datagrams, %d good", n, ok);
	switch_get_status(sw, &st);
	CHECK_INT("...counted as segmented on the remote port",
		  port(&st, 1)->segmented, 1);
	close(a);
	close(b[1]);
	switch_close(sw);
}

int main(void)
{
	if (switch_unit_start())
		return 1;
	vnet_ports();
	vnet_socket();
	vnet_to_l2tp();
	rmdir(dir);
	UNIT_DONE();
}
