// SPDX-License-Identifier: GPL-2.0
/*
 * pcap-compiled classic BPF (bpf/classic.c) and the filter = key of raw and
 * hybrid: compile, the file format the kernel's bpffile= reads, round trip,
 * the composed "not ether src MAC" part run on real frames through pcap's
 * BPF interpreter, the node MAC, and the profile errors.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpf.h"
#include "profile.h"
#include "raw.h"
#include "supervisor.h"
#include "transport.h"
#include "profile_unit.h"
#include "unit.h"

static struct profile p;

/* an Ethernet + IPv4 frame: proto 1 (ICMP), 6 (TCP) or 17 (UDP) */
static unsigned int frame(uint8_t *f, const uint8_t src[6], uint8_t proto,
			  uint16_t dport)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x99 };

	memset(f, 0, 64);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08; /* ETH_P_IP */
	f[14] = 0x45; /* IPv4, 20 bytes */
	f[17] = 46; /* total length */
	f[22] = 64; /* ttl */
	f[23] = proto;
	f[26] = 10, f[29] = 1; /* 10.0.0.1 -> 10.0.0.2 */
	f[30] = 10, f[33] = 2;
	f[34] = 0x30, f[35] = 0x39; /* sport 12345 */
	f[36] = dport >> 8, f[37] = dport & 0xff;
	return 60;
}

static bool has_insn(const struct cbpf_prog *prog, uint16_t code, uint32_t k)
{
	unsigned int i;

	for (i = 0; i < prog->len; i++)
		if (prog->insns[i].code == code && prog->insns[i].k == k)
			return true;
	return false;
}

static void compile_and_files(void)
{
	static const char *const exprs[] = {
		"ip",
		"not icmp",
		"tcp port 80",
		"ether host 02:00:00:00:00:01",
		"udp and (port 53 or port 67)",
		"ip6 and tcp",
	};
	char dir[] = "/tmp/umnet-unit.XXXXXX", path[128], name[128];
	struct cbpf_prog prog, back;
	struct stat st;
	struct err e = { "" };
	size_t i;

	if (!mkdtemp(dir)) {
		UNIT_FAIL("mkdtemp", "%s", strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/f.bpf", dir);
	for (i = 0; i < ARRAY_SIZE(exprs); i++) {
		int ret = cbpf_compile(exprs[i], &prog, &e);

		snprintf(name, sizeof(name), "compile \"%s\"", exprs[i]);
		CHECK(name, ret == 0 && prog.len > 0, "ret %d: %s", ret, e.msg);
		if (ret)
			continue;
		ret = cbpf_write(path, &prog, &e);
		snprintf(name, sizeof(name), "\"%s\": file is 8 x %u bytes",
			 exprs[i], prog.len);
		CHECK(name,
		      ret == 0 && stat(path, &st) == 0 &&
			      st.st_size == 8 * (off_t)prog.len,
		      "ret %d, size %lld", ret, (long long)st.st_size);
		ret = cbpf_read(path, &back, &e);
		snprintf(name, sizeof(name), "\"%s\": read back identical",
			 exprs[i]);
		CHECK(name,
		      ret == 0 && back.len == prog.len &&
			      !memcmp(back.insns, prog.insns, 8 * prog.len),
		      "ret %d (%s), len %u vs %u", ret, e.msg, back.len,
		      prog.len);
		cbpf_free(&back);
		cbpf_free(&prog);
	}

	/* what the kernel reads: the first instruction of "ip" is ldh [12] */
	if (!cbpf_compile("ip", &prog, &e)) {
		struct strbuf sb = { 0 };

		cbpf_dump(&prog, &sb);
		CHECK("dump of \"ip\" is tcpdump -d's listing",
		      !strncmp(sb_str(&sb), "(000) ldh      [12]\n", 20) &&
			      strstr(sb_str(&sb), "ret      #262144"),
		      "%s", sb_str(&sb));
		sb_free(&sb);
		cbpf_free(&prog);
	}

	CHECK_INT("a bad expression fails", cbpf_compile("tcp port", &prog, &e),
		  -EINVAL);
	CHECK_STR("a bad expression gives pcap's text", e.msg,
		  "can't parse filter expression: syntax error");
	CHECK_INT("an unknown protocol fails",
		  cbpf_compile("proto nosuchproto", &prog, &e), -EINVAL);
	CHECK("... and pcap names it", strstr(e.msg, "nosuchproto") != NULL,
	      "%s", e.msg);
	CHECK_INT("a ')' cannot escape the composed filter",
		  cbpf_compile_node("icmp) or (tcp", "02:00:00:00:00:01", &prog,
				    &e),
		  -EINVAL);

	/* files the kernel would misread are refused */
	write_file(path, "0123456789", 10, 0644);
	CHECK_INT("a file of 10 bytes is not a BPF file",
		  cbpf_read(path, &back, &e), -EINVAL);
	CHECK("... and says why", strstr(e.msg, "multiple of 8") != NULL, "%s",
	      e.msg);
	write_file(path, "", 0, 0644);
	CHECK_INT("an empty file is not a BPF file", cbpf_read(path, &back, &e),
		  -EINVAL);
	unlink(path);
	CHECK_INT("a missing file gives -ENOENT", cbpf_read(path, &back, &e),
		  -ENOENT);
	rmdir(dir);
}

static void composed(void)
{
	static const uint8_t own[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t peer[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x56 };
	static const uint8_t half[6] = { 0x02, 0x11, 0x99, 0x33, 0x44, 0x55 };
	struct cbpf_prog prog;
	struct err e = { "" };
	uint8_t f[64];
	unsigned int n;

	if (cbpf_compile_node("not icmp", "02:11:22:33:44:55", &prog, &e)) {
		UNIT_FAIL("compile the composed filter", "%s", e.msg);
		return;
	}
	/* the same check as the kernel's default (vector_user.c) */
	CHECK("composed filter loads src MAC bytes 2..5 (ld [8])",
	      has_insn(&prog, 0x20, 8), "no ld [8]");
	CHECK("... compares them with 0x22334455",
	      has_insn(&prog, 0x15, 0x22334455), "no jeq #0x22334455");
	CHECK("... loads bytes 0..1 (ldh [6]) and compares with 0x0211",
	      has_insn(&prog, 0x28, 6) && has_insn(&prog, 0x15, 0x0211),
	      "no ldh [6] / jeq #0x211");

	n = frame(f, own, 6, 80);
	CHECK_INT("own TCP frame is dropped", cbpf_run(&prog, f, n), 0);
	n = frame(f, peer, 6, 80);
	CHECK_INT("peer TCP frame passes whole", cbpf_run(&prog, f, n),
		  CBPF_SNAPLEN);
	n = frame(f, half, 6, 80);
	CHECK_INT("a MAC differing only in byte 2 passes",
		  cbpf_run(&prog, f, n), CBPF_SNAPLEN);
	n = frame(f, peer, 1, 0);
	CHECK_INT("peer ICMP frame is dropped (not icmp)",
		  cbpf_run(&prog, f, n), 0);
	n = frame(f, peer, 17, 53);
	CHECK_INT("peer UDP frame passes", cbpf_run(&prog, f, n), CBPF_SNAPLEN);
	cbpf_free(&prog);
}

static const char base[] = "[appliance]\nname = fl1\n"
			   "[interface vec0]\ntransport = raw\n"
			   "ifname = fl1-u0\n";

static int parse(const char *extra, struct err *e)
{
	char text[1024];

	snprintf(text, sizeof(text), "%s%s", base, extra);
	return profile_parse_string("t.profile", text, &p, e);
}

static void profiles(void)
{
	/* a hybrid interface's lines that must be refused */
	static const struct refused hybrid[] = {
		{ "hybrid with host-netns is refused",
		  "ifname = h1-t0\nhost = tap\nhost-netns = x\n",
		  "host-netns does not work with transport = hybrid" },
		{ "hybrid without ifname is refused", "",
		  "t.profile:3: vec0: hybrid needs ifname" },
		{ "hybrid with host = veth is refused",
		  "ifname = h1-t0\nhost = veth\nhost-ifname = h1-x\n",
		  "host = veth does not go with transport hybrid" },
	};
	struct node_paths np = { 0 };
	struct fd_pass pass = { 0 };
	char mac[MAC_STR_LEN], mac1[MAC_STR_LEN],
		dir[] = "/tmp/umnet-unit.XXXXXX", path[128];
	struct strbuf sb = { 0 };
	struct cbpf_prog prog;
	struct err e = { "" };
	uint8_t f[64], own[6];
	unsigned int b[6], n;
	int ret;

	ret = parse("filter = not icmp and not (udp port 53)\n", &e);
	CHECK("filter with spaces parses", ret == 0, "%s", e.msg);
	if (ret)
		return;
	CHECK_INT("derived MAC", raw_node_mac(&p, &p.ifaces[0], mac), 0);
	sscanf(mac, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
	       &b[5]);
	CHECK("derived MAC is locally administered unicast",
	      strlen(mac) == 17 && (b[0] & 3) == 2, "%s", mac);
	/* echo -n fl1/vec0 | sha256sum: 4849679edd20...; 0x48 -> 0x4a */
	CHECK_STR("derived MAC is SHA-256 of name/vecN", mac,
		  "4a:49:67:9e:dd:20");
	p.ifaces[0].index = 1;
	raw_node_mac(&p, &p.ifaces[0], mac1);
	p.ifaces[0].index = 0;
	CHECK("vec1 gets another MAC", strcmp(mac, mac1) != 0, "%s", mac1);

	strcpy(np.jaildir, "/S/fl1/node");
	transport_render(&p, &p.ifaces[0], &np, &sb);
	snprintf(
		path, sizeof(path),
		"vec0:transport=raw,ifname=fl1-u0,gro=1,mac=%s,bpffile=/S/fl1/node/vec0.bpf",
		mac);
	CHECK_STR("render: filter stays local, mac and bpffile appended",
		  sb_str(&sb), path);
	sb_free(&sb);

	/* prepare writes the composed filter into the jail dir */
	if (mkdtemp(dir)) {
		strcpy(np.jaildir, dir);
		ret = p.ifaces[0].transport->prepare(&p, &p.ifaces[0], &np,
						     &pass, &e);
		snprintf(path, sizeof(path), "%s/vec0.bpf", dir);
		CHECK("prepare writes vec0.bpf",
		      ret == 0 && cbpf_read(path, &prog, &e) == 0, "%s", e.msg);
		if (!ret && prog.insns) {
			for (n = 0; n < 6; n++)
				own[n] = b[n];
			n = frame(f, own, 6, 80);
			CHECK_INT("vec0.bpf drops the node's own frames",
				  cbpf_run(&prog, f, n), 0);
			f[11] ^= 1;
			CHECK_INT("vec0.bpf passes another MAC's TCP",
				  cbpf_run(&prog, f, n), CBPF_SNAPLEN);
			cbpf_free(&prog);
		}
		unlink(path);
		rmdir(dir);
	}

	ret = parse("mac = 02:00:00:00:00:07\nfilter = tcp\n", &e);
	strcpy(np.jaildir, "/S/fl1/node");
	transport_render(&p, &p.ifaces[0], &np, &sb);
	CHECK_STR(
		"render: the profile's mac is used, not repeated", sb_str(&sb),
		"vec0:transport=raw,ifname=fl1-u0,mac=02:00:00:00:00:07,gro=1,bpffile=/S/fl1/node/vec0.bpf");
	sb_free(&sb);
	parse("", &e);
	transport_render(&p, &p.ifaces[0], &np, &sb);
	CHECK_STR("render: no filter, only the default gro", sb_str(&sb),
		  "vec0:transport=raw,ifname=fl1-u0,gro=1");
	sb_free(&sb);
	parse("gro = 0\n", &e);
	transport_render(&p, &p.ifaces[0], &np, &sb);
	CHECK_STR("render: the profile's gro = 0 is kept", sb_str(&sb),
		  "vec0:transport=raw,ifname=fl1-u0,gro=0");
	sb_free(&sb);

	ret = parse("gro = 1\nfilter = tcp port\n", &e);
	CHECK("bad filter: t.profile:7 and pcap's text",
	      ret && !strcmp(e.msg,
			     "t.profile:7: vec0: filter = tcp port: can't parse filter expression: syntax error (the syntax is pcap-filter(7), as for tcpdump)"),
	      "ret %d: %s", ret, e.msg);
	ret = parse("filter = tcp\nbpffile = /tmp/x.bpf\n", &e);
	CHECK("bpffile with filter is an error naming bpffile's line",
	      ret && strstr(e.msg, "t.profile:7: vec0: bpffile and filter"),
	      "ret %d: %s", ret, e.msg);
	ret = parse("bpffile = /tmp/a b.bpf\n", &e);
	CHECK("spaces in kernel keys are still refused",
	      ret && strstr(e.msg, "contains a space"), "ret %d: %s", ret,
	      e.msg);
	unit_refused("t.profile",
		     "[appliance]\nname = h1\n[interface vec0]\n"
		     "transport = hybrid\n",
		     hybrid, sizeof(hybrid) / sizeof(hybrid[0]));
}

int main(void)
{
	compile_and_files();
	composed();
	profiles();
	UNIT_DONE();
}
