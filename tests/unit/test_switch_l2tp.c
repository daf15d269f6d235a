// SPDX-License-Identifier: GPL-2.0
/*
 * The switch's remote ports (src/switch_l2tp.c): the L2TPv3 header as
 * UML's l2tpv3 transport writes it with udp = 1 and a 32-bit cookie, the
 * --l2tp and --l2tp-peer options, and a switch in-process with UDP sockets
 * on 127.0.0.1 as remote nodes: decapsulation into the forwarding,
 * encapsulation to each peer, a wrong session, a wrong cookie, a short
 * datagram, a peer that moved. TSO frames to a remote port: test_switch_vnet.c.
 */
#include "switch_unit.h"

/* call fails (non-zero) with an error that contains want */
#define CHECK_ERR(name, call, msg, want)                                    \
	do {                                                                \
		int r_ = (call);                                            \
		CHECK(name, r_ != 0 && strstr(msg, want), "got %d: %s", r_, \
		      msg);                                                 \
	} while (0)

static void header(void)
{
	unsigned char h[SWITCH_L2TP_HDR_LEN];
	static const unsigned char want[] = { 0x00, 0x03, 0x00, 0x00,
					      0x12, 0x34, 0x56, 0x78,
					      0xde, 0xad, 0xbe, 0xef };
	uint32_t s, c;

	l2tp_hdr_put(h, 0x12345678, 0xdeadbeef);
	CHECK("header: 0x00030000, session, cookie, big-endian",
	      !memcmp(h, want, sizeof(want)), "%02x %02x %02x %02x", h[0], h[1],
	      h[4], h[8]);
	CHECK("header read back",
	      !l2tp_hdr_get(h, 12, &s, &c) && s == 0x12345678 &&
		      c == 0xdeadbeef,
	      "%x %x", s, c);
	CHECK_INT("11 bytes: too short", l2tp_hdr_get(h, 11, &s, &c),
		  -EMSGSIZE);
	h[0] = 0xc8; /* a control message (T and L bits) */
	CHECK_INT("a control message is not a frame",
		  l2tp_hdr_get(h, 12, &s, &c), -EPROTO);
}

static void options(void)
{
	struct switch_l2tp_peer p;
	struct err e = { "" };
	unsigned int port;
	char a[64];

	CHECK("--l2tp 192.0.2.1:20000",
	      !switch_l2tp_listen_parse("192.0.2.1:20000", a, sizeof(a), &port,
					&e) &&
		      !strcmp(a, "192.0.2.1") && port == 20000,
	      "%s", e.msg);
	CHECK("--l2tp [2001:db8::1]:7",
	      !switch_l2tp_listen_parse("[2001:db8::1]:7", a, sizeof(a), &port,
					&e) &&
		      !strcmp(a, "2001:db8::1") && port == 7,
	      "%s", e.msg);
	CHECK_ERR(
		"--l2tp without a port",
		switch_l2tp_listen_parse("192.0.2.1", a, sizeof(a), &port, &e),
		e.msg, "must be ADDR:PORT");
	CHECK_ERR("--l2tp with a name",
		  switch_l2tp_listen_parse("r1:5", a, sizeof(a), &port, &e),
		  e.msg, "must be ADDR:PORT");
	CHECK("--l2tp-peer by name, all four ids",
	      !switch_l2tp_peer_parse(
		      "r1:20001,rx_session=3,tx_session=4,rx_cookie=0,tx_cookie=4294967295",
		      &p, &e) &&
		      !strcmp(p.host, "r1") && p.port == 20001 &&
		      p.rx_session == 3 && p.tx_session == 4 &&
		      p.rx_cookie == 0 && p.tx_cookie == 4294967295u,
	      "%s", e.msg);
	CHECK("--l2tp-peer [IPv6]",
	      !switch_l2tp_peer_parse(
		      "[fd00::2]:9,rx_session=1,tx_session=2,rx_cookie=1,tx_cookie=2",
		      &p, &e) &&
		      !strcmp(p.host, "fd00::2") && p.port == 9,
	      "%s", e.msg);
	CHECK_ERR("--l2tp-peer without a cookie",
		  switch_l2tp_peer_parse(
			  "10.0.0.1:9,rx_session=1,tx_session=2,rx_cookie=1",
			  &p, &e),
		  e.msg, "no tx_cookie=");
	CHECK_ERR(
		"--l2tp-peer session 0",
		switch_l2tp_peer_parse(
			"10.0.0.1:9,rx_session=0,tx_session=2,rx_cookie=1,tx_cookie=1",
			&p, &e),
		e.msg, "a session id is 1..4294967295");
	CHECK_ERR(
		"--l2tp-peer unknown key",
		switch_l2tp_peer_parse(
			"10.0.0.1:9,rx_sesion=1,tx_session=2,rx_cookie=1,tx_cookie=1",
			&p, &e),
		e.msg, "unknown key \"rx_sesion\"");
	CHECK_ERR(
		"--l2tp-peer port 0",
		switch_l2tp_peer_parse(
			"10.0.0.1:0,rx_session=1,tx_session=2,rx_cookie=1,tx_cookie=1",
			&p, &e),
		e.msg, "must be HOST:PORT");
}

/* a datagram from fd to the switch: header (session, cookie), a frame */
static void send_l2(int fd, const struct sockaddr_in *to, uint32_t session,
		    uint32_t cookie, const unsigned char *dst,
		    const unsigned char *src, size_t len, int fill)
{
	unsigned char d[2000];

	l2tp_hdr_put(d, session, cookie);
	memset(d + 12, fill, len);
	if (len >= 12) {
		memcpy(d + 12, dst, 6);
		memcpy(d + 18, src, 6);
	}
	if (sendto(fd, d, 12 + len, 0, (const struct sockaddr *)to,
		   sizeof(*to)) != (ssize_t)(12 + len)) {
		perror("sendto");
		exit(1);
	}
}

static void remote_ports(void)
{
	struct switch_l2tp_peer peers[2];
	unsigned char ma[6], mb[6], mc[6];
	struct sockaddr_in to;
	unsigned int pa, pb;
	struct sw *sw;
	ssize_t last = 0;
	uint32_t s, c;
	int a, b, u, a2;
	char path[128];

	mac(ma, 1);
	mac(mb, 2);
	mac(mc, 3);
	a = udp_peer(&pa);
	b = udp_peer(&pb);
	l2tp_peer_ids(&peers[0], 0, pa);
	l2tp_peer_ids(&peers[1], 1, pb);
	sw = l2tp_switch(peers, 2, &to);
	snprintf(path, sizeof(path), "%s/l2", dir);
	u = client(path);
	pump(sw);
	switch_get_status(sw, &st);
	CHECK_INT("two remote ports and a unix one", st.hdr.nports, 3);
	CHECK("ports 1 and 2 are remote, named by their peer",
	      port(&st, 1)->l2tp && port(&st, 2)->l2tp && !port(&st, 3)->l2tp &&
		      strstr(port(&st, 1)->name, "l2tp 127.0.0.1:"),
	      "%s", port(&st, 1)->name);

	/* a broadcasts: b gets it with its own tx ids, u plain */
	send_l2(a, &to, 100, 0xc00c1e00u, BCAST, ma, 60, 1);
	pump(sw);
	CHECK("a remote broadcast reaches the unix port plain",
	      drain(u, &last) == 1 && last == 60 && !memcmp(buf + 6, ma, 6),
	      "last %zd", last);
	CHECK("...and the other remote port with its session and cookie",
	      drain(b, &last) == 1 && last == 72 &&
		      !l2tp_hdr_get(buf, last, &s, &c) && s == 201 &&
		      c == 0xbeef0001u && !memcmp(buf + 12, BCAST, 6),
	      "last %zd session %u cookie %x", last, s, c);
	CHECK_INT("...not back to a", drain(a, NULL), 0);

	/* u -> a: learned on port 1, only a gets it */
	send_frame(u, ma, mc, 100, 2);
	pump(sw);
	CHECK("unix -> learned remote MAC: only a, 12 + 100 bytes",
	      drain(a, &last) == 1 && last == 112 &&
		      !l2tp_hdr_get(buf, last, &s, &c) && s == 200 &&
		      c == 0xbeef0000u,
	      "last %zd", last);
	CHECK_INT("...not flooded to b", drain(b, NULL), 0);

	/* errors: wrong cookie, unknown session, short, runt */
	send_l2(a, &to, 100, 0xbad, mc, ma, 60, 3);
	send_l2(a, &to, 999, 0xc00c1e00u, mc, ma, 60, 3);
	send_l2(b, &to, 101, 0xc00c1e01u, mc, mb, 10, 3);
	sendto(a, "\0\3\0\0\0\0", 6, 0, (struct sockaddr *)&to, sizeof(to));
	pump(sw);
	CHECK("nothing of them is forwarded",
	      drain(u, NULL) == 0 && drain(b, NULL) == 0, "forwarded");
	switch_get_status(sw, &st);
	CHECK_INT("a wrong cookie counts on its port", port(&st, 1)->bad_cookie,
		  1);
	CHECK_INT("an unknown session counts on the switch", st.hdr.bad_session,
		  1);
	CHECK_INT("a datagram shorter than the header counts on the switch",
		  st.hdr.l2tp_short, 1);
	CHECK_INT("a 10-byte frame is a runt of its port", port(&st, 2)->runt,
		  1);
	CHECK("frames counted as received: a 1, u 1",
	      port(&st, 1)->rx_frames == 1 && port(&st, 3)->rx_frames == 1 &&
		      port(&st, 1)->tx_frames == 1,
	      "%llu %llu", (unsigned long long)port(&st, 1)->rx_frames,
	      (unsigned long long)port(&st, 3)->rx_frames);

	/* a's node restarts elsewhere (another port): the switch follows */
	a2 = udp_peer(&pa);
	send_l2(a2, &to, 100, 0xc00c1e00u, mc, ma, 60, 4);
	pump(sw);
	drain(u, NULL);
	send_frame(u, ma, mc, 80, 5);
	pump(sw);
	CHECK("a peer that moved gets its frames at its new address",
	      drain(a2, &last) == 1 && last == 92 && drain(a, NULL) == 0,
	      "last %zd", last);
	close(u);
	close(a);
	close(a2);
	close(b);
	switch_close(sw);
}

static void config_errors(void)
{
	struct switch_l2tp_peer peers[2];
	struct switch_config cfg = { .aging_ms = 300000 };
	struct err e = { "" };
	struct sw *sw = NULL;

	snprintf(cfg.path, sizeof(cfg.path), "%s/l3", dir);
	l2tp_peer_ids(&peers[0], 0, 9);
	l2tp_peer_ids(&peers[1], 0, 10);
	cfg.peers = peers;
	cfg.npeers = 2;
	strcpy(cfg.l2tp_addr, "127.0.0.1");
	CHECK_ERR("two peers with one rx_session", switch_open(&sw, &cfg, &e),
		  e.msg, "have the same rx_session 100");
	cfg.npeers = 1;
	strcpy(peers[0].host, "2001:db8::7");
	CHECK_ERR(
		"an IPv6 peer of an IPv4 --l2tp", switch_open(&sw, &cfg, &e),
		e.msg,
		"--l2tp-peer [2001:db8::7]:9: an IPv6 address, but --l2tp 127.0.0.1 sends from IPv4");
	strcpy(cfg.l2tp_addr, "::1");
	strcpy(peers[0].host, "127.0.0.1");
	CHECK_ERR("an IPv4 peer of an IPv6 --l2tp", switch_open(&sw, &cfg, &e),
		  e.msg, "an IPv4 address, but --l2tp ::1 sends from IPv6");
	strcpy(peers[0].host, "r1");
	strcpy(cfg.l2tp_addr, "192.0.2.77");
	CHECK_ERR("--l2tp on an address not here", switch_open(&sw, &cfg, &e),
		  e.msg, "not an address of this host");
	CHECK("the failed opens left no socket", access(cfg.path, F_OK) < 0,
	      "%s is there", cfg.path);
}

int main(void)
{
	if (switch_unit_start())
		return 1;
	header();
	options();
	remote_ports();
	config_errors();
	rmdir(dir);
	UNIT_DONE();
}
