// SPDX-License-Identifier: GPL-2.0
/*
 * The learning switch (src/switch.c) in-process, with real SOCK_SEQPACKET
 * clients as ports: learning, flooding and when it stops, aging, runt and
 * oversized frames, a peer that does not read, garbage, port removal on
 * disconnect, the control socket, stale and busy socket paths. Ports with
 * virtio-net headers are in test_switch_vnet.c.
 */
#include "switch_unit.h"

/* a switch with cfg at dir/name (cfg->path); NULL after a failed check */
static struct sw *open_at(struct switch_config *cfg, const char *name,
			  const char *what)
{
	struct err e = { "" };
	struct sw *sw = NULL;
	int ret;

	snprintf(cfg->path, sizeof(cfg->path), "%s/%s", dir, name);
	ret = switch_open(&sw, cfg, &e);
	CHECK(what, ret == 0, "%s", e.msg);
	return ret ? NULL : sw;
}

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
	sw = open_at(&cfg, "sw", "open a switch");
	if (!sw)
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
	int a, b, c;
	long long end;

	mac(ma, 1);
	mac(mb, 2);
	sw = open_at(&cfg, "age", "open a switch with 1 s aging");
	if (!sw)
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

/*
 * A frame the kernel refuses for one peer (here EMSGSIZE: b's socket has
 * a small send buffer) is dropped alone: b keeps its port and gets the
 * frames that fit, before and after in the same batch.
 */
static void refused_send(void)
{
	struct switch_config cfg = { .aging_ms = 300000 };
	unsigned char ma[6], mb[6];
	int sa[2], sb[2], small = 2304;
	struct sw *sw = NULL;
	ssize_t last = 0;

	mac(ma, 1);
	mac(mb, 2);
	if (switch_new(&sw, &cfg) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sa) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sb)) {
		CHECK("a switch with two socketpair ports", 0, "%m");
		return;
	}
	switch_add_port(sw, sa[0]);
	switch_add_port(sw, sb[0]);
	/* after switch_add_port, which sizes the buffers */
	setsockopt(sb[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	send_frame(sb[1], ma, mb, 60, 1); /* b is learned */
	pump(sw);
	drain(sa[1], NULL);
	send_frame(sa[1], mb, ma, 60, 2);
	send_frame(sa[1], mb, ma, 9000, 3);
	send_frame(sa[1], mb, ma, 100, 4);
	pump(sw);
	CHECK("b gets the frames that fit, in order",
	      drain(sb[1], &last) == 2 && last == 100, "last %zd", last);
	switch_get_status(sw, &st);
	CHECK_INT("b keeps its port", st.hdr.nports, 2);
	CHECK_INT("b: the 9000-byte frame is counted dropped",
		  port(&st, 2)->tx_dropped, 1);
	CHECK_INT("b: two frames sent", port(&st, 2)->tx_frames, 2);
	switch_close(sw);
	close(sa[1]);
	close(sb[1]);
}

int main(void)
{
	if (switch_unit_start())
		return 1;
	learning();
	aging();
	paths();
	refused_send();
	rmdir(dir);
	UNIT_DONE();
}
