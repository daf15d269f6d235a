// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the Kathará / Netkit lab.conf reader (src/kathara.c). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drive.h"
#include "kathara.h"
#include "lab.h"
#include "labrun.h"
#include "profile.h"
#include "profile_unit.h"
#include "unit.h"

#define BAD_DIR "tests/labs/kathara-bad"

static int convert(const char *conf, const char *dep,
		   const struct kathara_opts *o, struct lab *lab,
		   struct strbuf *text, struct strbuf *warn, struct err *e)
{
	/* as lab up runs it here: the Debian image (a stand-in) is here */
	const struct kathara_opts here = { .default_image =
						   KATHARA_DEFAULT_DEBIAN };
	int ret = kathara_lab_text("/k/lab1", conf, dep, o ? o : &here, lab,
				   text, warn, e);

	if (!ret)
		ret = lab_compile(lab, NULL, e);
	return ret;
}

static int parse_bad(const char *path, char *msg, size_t len)
{
	struct strbuf text = { 0 }, warn = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	char *conf = NULL;
	int ret;

	ret = read_file(path, &conf, NULL);
	if (!ret)
		ret = kathara_lab_text(BAD_DIR, conf, NULL, NULL, &lab, &text,
				       &warn, &e);
	if (!ret)
		ret = lab_compile(&lab, NULL, &e);
	snprintf(msg, len, "%s", e.msg);
	free(conf);
	lab_free(&lab);
	sb_free(&text);
	sb_free(&warn);
	return ret;
}

static const char *const course = "LAB_DESCRIPTION=\"two routers\"\n" /* 1 */
				  "LAB_NAME='static lab'\n" /* 2 */
				  "LAB_AUTHOR=someone # a comment\n" /* 3 */
				  "\n" /* 4 */
				  "# pcs\n" /* 5 */
				  "pc1[0]=\"A/00:00:00:00:00:01\"\n" /* 6 */
				  "pc1[mem]=128m\n" /* 7 */
				  "r1[0]=A\n" /* 8 */
				  "r1[1]='B'   # to r2\n" /* 9 */
				  "r1[ipv6]=false\n" /* 10 */
				  "r1[exec]=\"echo one\"\n" /* 11 */
				  "r1[exec]=\"echo two\"\n" /* 12 */
				  "r2[1]=B\n" /* 13 */
				  "r2[0]=C\n" /* 14 */
				  "pc2[0]=C\n" /* 15 */
				  "pc3[0]=C\n" /* 16 */
				  "pc2[foo]=bar\n" /* 17 */
				  "pc2[mem]=64m\n" /* 18 */
				  "pc2[mem]=1g\n" /* 19 */
				  "pc2[env]=\"GREETING=hello world\"\n" /* 20 */
				  "pc2[exec]=\"echo $GREETING\"\n"; /* 21 */

static void course_lab(void)
{
	struct strbuf text = { 0 }, warn = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	const char *t, *w;
	int ret, a, b, c;

	ret = convert(course, NULL, NULL, &lab, &text, &warn, &e);
	CHECK("course lab converts, parses and compiles", ret == 0, "%s\n%s",
	      e.msg, sb_str(&text));
	if (ret)
		goto out;
	t = sb_str(&text);
	w = sb_str(&warn);
	CHECK("LAB_NAME made valid", !strcmp(lab.name, "static-lab"), "%s",
	      lab.name);
	CHECK("5 nodes, 3 links", lab.nnodes == 5 && lab.nlinks == 3,
	      "%d nodes %d links", lab.nnodes, lab.nlinks);
	CHECK("nodes in lab.conf order",
	      !strcmp(lab.nodes[0].name, "pc1") &&
		      !strcmp(lab.nodes[1].name, "r1") &&
		      !strcmp(lab.nodes[4].name, "pc3"),
	      "%s %s", lab.nodes[0].name, lab.nodes[1].name);
	a = lab_link_find(&lab, "A");
	b = lab_link_find(&lab, "B");
	c = lab_link_find(&lab, "C");
	CHECK("2 devices make a wire, 3 a switch",
	      a >= 0 && b >= 0 && c >= 0 && lab.links[a].kind == LINK_WIRE &&
		      lab.links[b].kind == LINK_WIRE &&
		      lab.links[c].kind == LINK_SWITCH,
	      "%s", t);
	CHECK("ethN named with its MAC",
	      strstr(t, "rename = vec0 eth0 00:00:00:00:00:01\n") &&
		      strstr(t, "rename = vec1 eth1\n"),
	      "%s", t);
	CHECK("r2's eth1 comes first in lab.conf, still vec1",
	      strstr(t, "endpoint = r2:vec1\n"), "%s", t);
	CHECK("mem with a unit", lab.nodes[0].p->mem_mb == 128, "%lu",
	      lab.nodes[0].p->mem_mb);
	CHECK("repeated mem: the last wins, with a warning",
	      lab.nodes[3].p->mem_mb == 1024 &&
		      strstr(w, "lab.conf:19: warning: pc2[mem] given again"),
	      "%lu %s", lab.nodes[3].p->mem_mb, w);
	CHECK("unknown key: a warning naming file:line",
	      strstr(w,
		     "/k/lab1/lab.conf:17: warning: pc2[foo]: unknown key, ignored (Kathará ignores it silently)"),
	      "%s", w);
	CHECK("ipv6=false disables IPv6",
	      strstr(t, "sysctl = net.ipv6.conf.all.disable_ipv6=1\n"), "%s",
	      t);
	CHECK("exec lines in order",
	      strstr(t, "run = echo one\nrun = echo two\n"), "%s", t);
	CHECK("env exported, quoted",
	      strstr(t,
		     "run = export GREETING='hello world'; echo $GREETING\n"),
	      "%s", t);
out:
	lab_free(&lab);
	sb_free(&text);
	sb_free(&warn);
}

static void names_and_deps(void)
{
	struct kathara_opts o = { .name = "mine",
				  .default_image = KATHARA_DEFAULT_DEBIAN };
	struct strbuf text = { 0 }, warn = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	int ret;

	ret = convert("a[0]=X\nb[0]=X\nc[0]=Y\nd[0]=Y\n",
		      "# deps\na: b c\nb: d\n", &o, &lab, &text, &warn, &e);
	CHECK("lab.dep orders boots",
	      ret == 0 && lab.nnodes == 4 && !strcmp(lab.nodes[0].name, "c") &&
		      !strcmp(lab.nodes[1].name, "d") &&
		      !strcmp(lab.nodes[2].name, "b") &&
		      !strcmp(lab.nodes[3].name, "a"),
	      "%s %s", e.msg, sb_str(&text));
	CHECK("--name wins", ret == 0 && !strcmp(lab.name, "mine"), "%s",
	      lab.name);
	lab_free(&lab);
	sb_free(&text);
	memset(&lab, 0, sizeof(lab));
	memset(&text, 0, sizeof(text));
	e.msg[0] = '\0';
	ret = convert("a[0]=X\nb[0]=X\n", NULL, NULL, &lab, &text, &warn, &e);
	CHECK("the directory's name", ret == 0 && !strcmp(lab.name, "lab1"),
	      "%s %s", e.msg, lab.name);
	lab_free(&lab);
	sb_free(&text);
	memset(&lab, 0, sizeof(lab));
	memset(&text, 0, sizeof(text));
	ret = convert("a[0]=X\nb[0]=X\nc[0]=X\n", "a: b\nb: c\n\nc: a\n", NULL,
		      &lab, &text, &warn, &e);
	CHECK("a lab.dep loop is an error",
	      ret && strstr(e.msg, "lab.dep: a dependency loop among: a b c"),
	      "%s", e.msg);
	ret = convert("a[0]=X\n", "a: zz\n", NULL, &lab, &text, &warn, &e);
	CHECK("lab.dep: unknown device with file:line",
	      ret && strstr(e.msg, "/k/lab1/lab.dep:1: zz: no such device"),
	      "%s", e.msg);
	lab_free(&lab);
	sb_free(&text);
	sb_free(&warn);
}

static void netkit(void)
{
	struct strbuf text = { 0 }, warn = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	int ret;

	ret = convert("machines=\"b a\"\na[0]=X\nb[0]=X\nc[0]=X\n"
		      "a[mem]=64\nb[M]=32\nb[con0]=\nrandom words here\n",
		      NULL, NULL, &lab, &text, &warn, &e);
	CHECK("netkit dialect detected from machines=", ret == 0, "%s", e.msg);
	CHECK("machines= chooses and orders",
	      !ret && lab.nnodes == 2 && !strcmp(lab.nodes[0].name, "b") &&
		      !strcmp(lab.nodes[1].name, "a"),
	      "%s", sb_str(&text));
	CHECK("netkit mem in MB, M too",
	      !ret && lab.nodes[1].p->mem_mb == 64 &&
		      lab.nodes[0].p->mem_mb == 32,
	      "%s", sb_str(&text));
	CHECK("a domain left with 2 devices is a wire",
	      !ret && lab.nlinks == 1 && lab.links[0].kind == LINK_WIRE, "%s",
	      sb_str(&text));
	lab_free(&lab);
	sb_free(&text);
	memset(&lab, 0, sizeof(lab));
	memset(&text, 0, sizeof(text));
	ret = convert("LAB_MACHINES=a,b\na[0]=X\nb[0]=X\n", NULL, NULL, &lab,
		      &text, &warn, &e);
	CHECK("Netkit-JH LAB_MACHINES", ret == 0 && lab.nnodes == 2, "%s",
	      e.msg);
	lab_free(&lab);
	sb_free(&text);
	memset(&lab, 0, sizeof(lab));
	memset(&text, 0, sizeof(text));
	ret = convert("a[0]=X\nnot a line\n", NULL, NULL, &lab, &text, &warn,
		      &e);
	CHECK("Kathará: the same line is a syntax error",
	      ret && strstr(e.msg, "/k/lab1/lab.conf:2: syntax error"), "%s",
	      e.msg);
	lab_free(&lab);
	sb_free(&text);
	memset(&lab, 0, sizeof(lab));
	memset(&text, 0, sizeof(text));
	{
		struct kathara_opts o = {
			.netkit = true,
			.default_image = KATHARA_DEFAULT_DEBIAN,
		};

		ret = convert("a[0]=X\nnot a line\n", NULL, &o, &lab, &text,
			      &warn, &e);
		CHECK("--netkit: ignored", ret == 0, "%s", e.msg);
	}
	lab_free(&lab);
	sb_free(&text);
	sb_free(&warn);
}

/* the profile key (rename) the reader uses for ethN, and what the node is told */
static void rename_key(void)
{
	/* lines after [appliance] and name = r that must be refused */
	static const struct refused refused[] = {
		{ "rename: a multicast MAC is refused with file:line",
		  "rename = vec0 eth0 01:00:00:00:00:01\n",
		  "r.profile:3: rename = vec0 eth0 01:00:00:00:00:01: \"01:00:00:00:00:01\" is not a unicast MAC" },
		{ "rename: a name twice is refused",
		  "rename = vec0 eth0\nrename = vec1 eth0\n",
		  "r.profile:4: rename = vec1 eth0: given already on line 3" },
		{ "rename: vecN first", "rename = eth0 vec0\n",
		  "r.profile:3:" },
	};
	static struct profile p;
	struct strbuf sb = { 0 };
	struct err e = { "" };
	int ret;

	ret = profile_parse_string(
		"/x/r.profile",
		"[appliance]\nname = r\nrename = vec0 eth0 02:00:00:00:00:01\n"
		"rename = vec1 wan\n"
		"[interface vec0]\ntransport = tap\nifname = t0\naddress = 10.0.0.1/24\n"
		"[interface vec1]\ntransport = tap\nifname = t1\n"
		"[interface vec2]\ntransport = tap\nifname = t2\n",
		&p, &e);
	CHECK("rename parses", ret == 0, "%s", e.msg);
	if (!ret)
		ret = drive_nodeconf(&p, &sb, NULL, 0);
	CHECK("node.conf renames before up, with the MAC; addr on the new name",
	      !ret && strstr(sb_str(&sb),
			     "link vec0 name eth0 address 02:00:00:00:00:01\n"
			     "addr eth0 10.0.0.1/24\nlink vec1 name wan\n"
			     "link vec2\n"),
	      "%s", sb_str(&sb));
	sb_free(&sb);
	unit_refused("/x/r.profile", "[appliance]\nname = r\n", refused,
		     sizeof(refused) / sizeof(refused[0]));
	ret = profile_parse_string("/x/r.profile",
				   "[appliance]\nname = r\nfile = /tmp /\n", &p,
				   &e);
	CHECK("file: a directory may go to /", ret == 0, "%s", e.msg);
	ret = profile_parse_string(
		"/x/r.profile",
		"[appliance]\nname = r\nfile = /etc/hostname /\n", &p, &e);
	CHECK("file: a file may not go to /", ret != 0, "accepted");
}

static void bad(void)
{
	unit_bad_files(BAD_DIR, ".conf", parse_bad);
}

/* more devices than the old fixed limit (128): a ring, and a Netkit list */
#define DENSE_DEVS 300

static void dense(void)
{
	struct strbuf conf = { 0 }, text = { 0 }, warn = { 0 };
	struct kathara_opts o = { .netkit = true,
				  .default_image = KATHARA_DEFAULT_DEBIAN };
	struct lab lab = { 0 };
	struct err e = { "" };
	int i, ret;

	sb_printf(&conf, "machines=\"");
	for (i = 0; i < DENSE_DEVS; i++)
		sb_printf(&conf, "%spc%d", i ? " " : "", i);
	sb_printf(&conf, "\"\n");
	for (i = 0; i < DENSE_DEVS; i++)
		sb_printf(&conf, "pc%d[0]=w%d\npc%d[1]=w%d\n", i, i, i,
			  (i + 1) % DENSE_DEVS);
	ret = convert(sb_str(&conf), NULL, &o, &lab, &text, &warn, &e);
	CHECK("300 devices in a ring convert and compile", ret == 0, "%s",
	      e.msg);
	CHECK_INT("300 nodes", lab.nnodes, DENSE_DEVS);
	CHECK_INT("300 wires", lab.nlinks, DENSE_DEVS);
	CHECK("machines= lists them all: no warning", !warn.len, "%s",
	      sb_str(&warn));
	lab_free(&lab);
	sb_free(&conf);
	sb_free(&text);
	sb_free(&warn);
}

/* bridged=true and port=: the last ethN, NAT, forwarded ports */
static void bridged(void)
{
	static const char conf[] = "pc1[0]=A\n" /* 1 */
				   "pc1[1]=B\n" /* 2 */
				   "pc1[bridged]=true\n" /* 3 */
				   "pc1[port]=\"8080:80/tcp\"\n" /* 4 */
				   "pc1[port]=53/udp\n" /* 5 */
				   "pc2[0]=A\n" /* 6 */
				   "pc2[port]=22\n" /* 7 */
				   "pc3[bridged]=true\n"; /* 8 */
	struct strbuf text = { 0 }, warn = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	const char *t, *w;
	int ret;

	ret = convert(conf, NULL, NULL, &lab, &text, &warn, &e);
	CHECK("bridged lab converts and compiles", !ret, "%s", e.msg);
	if (ret)
		goto out;
	t = sb_str(&text);
	w = sb_str(&warn);
	CHECK("pc1: bridged = yes, named eth2 after eth0 and eth1, ports",
	      strstr(t, "bridged = yes\nrename = vec2 eth2\n"
			"port = 8080:80/tcp\nport = 53/udp\n"),
	      "%s", t);
	CHECK("pc3 without interfaces: the host link is eth0",
	      strstr(t, "[node pc3]") &&
		      strstr(strstr(t, "[node pc3]"),
			     "bridged = yes\nrename = vec0 eth0\n"),
	      "%s", t);
	CHECK("pc2: port without bridged is a warning (as Kathara), dropped",
	      strstr(w,
		     "lab.conf:7: warning: pc2[port]=22: without pc2[bridged]=true") &&
		      !strstr(strstr(t, "[node pc2]"), "port = 22"),
	      "%s", w);
	CHECK("pc1: its bridged vec2 exists, eth2 inside",
	      lab.nodes[0].p->nifaces == 3 && lab_node_bridged(&lab, 0) &&
		      !lab_node_bridged(&lab, 1),
	      "%d", lab.nodes[0].p->nifaces);
out:
	lab_free(&lab);
	sb_free(&text);
	sb_free(&warn);
}

/*
 * A device without image= runs Kathará's default image, kathara/base: the
 * Debian image when it is there, else the minimal one with a warning.
 */
static const char image_conf[] = "pc1[0]=A\n" /* 1 */
				 "pc2[0]=A\n" /* 2 */
				 "pc2[image]=minimal\n" /* 3 */
				 "pc3[0]=A\n"; /* 4 */

/* image_conf converted with default_image d: text, warn */
static int image_case(enum kathara_default d, struct strbuf *text,
		      struct strbuf *warn)
{
	const struct kathara_opts o = { .default_image = d };
	struct lab lab = { 0 };
	struct err e = { "" };
	int ret;

	ret = convert(image_conf, NULL, &o, &lab, text, warn, &e);
	if (ret)
		sb_printf(warn, "error: %s", e.msg);
	lab_free(&lab);
	return ret;
}

static void default_image(const char *debian)
{
	static const char *const want_warn =
		"/k/lab1/lab.conf:1: warning: pc1 (and more devices) has no image=: Kathará's (kathara/base) default image runs on umnet's Debian image, which is not here (make debian-image, or UMNET_DEBIAN_IMAGE=PATH); they run the minimal image\n";
	struct strbuf text = { 0 }, warn = { 0 };
	const char *t;
	int ret;

	/* the converter does not look for the image: the caller says */
	setenv("UMNET_DEBIAN_IMAGE", "/nonexistent/debian.img", 1);
	ret = image_case(KATHARA_DEFAULT_DEBIAN, &text, &warn);
	t = sb_str(&text);
	CHECK("no image=, the Debian image there: image = debian",
	      !ret && strstr(t, "[node pc1]\nimage = debian\n") &&
		      strstr(t, "[node pc3]\nimage = debian\n") &&
		      strstr(t, "[node pc2]\nimage = minimal\n") && !warn.len,
	      "%d %s\n%s", ret, t, sb_str(&warn));
	sb_free(&text);
	sb_free(&warn);

	ret = image_case(KATHARA_DEFAULT_MINIMAL, &text, &warn);
	CHECK("default minimal (lab export): the minimal image, no warning",
	      !ret && !strstr(sb_str(&text), "image = debian") && !warn.len,
	      "%d %s\n%s", ret, sb_str(&text), sb_str(&warn));
	sb_free(&text);
	sb_free(&warn);

	setenv("UMNET_DEBIAN_IMAGE", debian, 1);
	ret = image_case(KATHARA_DEFAULT_ABSENT, &text, &warn);
	CHECK("no image=, no Debian image: minimal, one warning at the first",
	      !ret && !strstr(sb_str(&text), "image = debian") &&
		      !strcmp(sb_str(&warn), want_warn),
	      "%d %s\n%s", ret, sb_str(&text), sb_str(&warn));
	sb_free(&text);
	sb_free(&warn);

	CHECK_INT("probe: UMNET_DEBIAN_IMAGE there", kathara_default_probe(),
		  KATHARA_DEFAULT_DEBIAN);
	setenv("UMNET_DEBIAN_IMAGE", "/nonexistent/debian.img", 1);
	CHECK_INT("probe: UMNET_DEBIAN_IMAGE not there",
		  kathara_default_probe(), KATHARA_DEFAULT_ABSENT);
	setenv("UMNET_DEBIAN_IMAGE", debian, 1);
}

/* bridged devices get the host's reachable nameservers, as in Kathará */
static void nameservers(void)
{
	struct kathara_opts o = { .default_image = KATHARA_DEFAULT_DEBIAN };
	struct strbuf text = { 0 }, warn = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	const char *t;
	int ret;

	kathara_resolv_parse("# resolv.conf\nnameserver 127.0.0.53\n"
			     "search example\nnameserver 10.0.0.53\n"
			     "nameserver ::1\nnameserver 2001:db8::53 # v6\n"
			     "nameserver bad\nnameserver 192.0.2.1\n"
			     "nameserver 192.0.2.2\n",
			     &o);
	CHECK("resolv.conf: loopback and bad ones skipped, at most 3",
	      o.nnameservers == 3 && !strcmp(o.nameservers[0], "10.0.0.53") &&
		      !strcmp(o.nameservers[1], "2001:db8::53") &&
		      !strcmp(o.nameservers[2], "192.0.2.1"),
	      "%d %s %s %s", o.nnameservers, o.nameservers[0], o.nameservers[1],
	      o.nameservers[2]);
	ret = convert("a[0]=A\na[bridged]=true\nb[0]=A\n", NULL, &o, &lab,
		      &text, &warn, &e);
	t = sb_str(&text);
	CHECK("bridged=true: the host's nameservers, in that device only",
	      !ret &&
		      strstr(t, "nameserver = 10.0.0.53\n"
				"nameserver = 2001:db8::53\n"
				"nameserver = 192.0.2.1\n") &&
		      strstr(t, "[node b]") &&
		      !strstr(strstr(t, "[node b]"), "nameserver"),
	      "%d %s\n%s", ret, e.msg, t);
	lab_free(&lab);
	sb_free(&text);
	sb_free(&warn);
	memset(&lab, 0, sizeof(lab));
	o.nnameservers = 0;
	ret = convert("a[0]=A\na[bridged]=true\nb[0]=A\n", NULL, &o, &lab,
		      &text, &warn, &e);
	CHECK("bridged=true without a reachable nameserver: a warning naming it",
	      !ret && !strstr(sb_str(&text), "nameserver") &&
		      strstr(sb_str(&warn),
			     "lab.conf:2: warning: a[bridged]=true: the host has no nameserver a node can reach"),
	      "%d %s\n%s", ret, e.msg, sb_str(&warn));
	lab_free(&lab);
	sb_free(&text);
	sb_free(&warn);
}

/* lab_load_opts looks for the Debian image only when the caller did not
 * say (lab export --debian says it is in the OCI image) */
static void load_default(void)
{
	char d[] = "/tmp/umnet-unit-load.XXXXXX", path[PATH_MAX + 16];
	static const char conf[] = "a[0]=A\nb[0]=A\n";
	const char *old = getenv("UMNET_DEBIAN_IMAGE");
	char *saved = old ? strdup(old) : NULL;
	struct kathara_opts said = { .default_image = KATHARA_DEFAULT_DEBIAN };
	struct lab l1 = { 0 }, l2 = { 0 };
	struct err e = { "" };
	int r1 = -1, r2 = -1;

	setenv("UMNET_DEBIAN_IMAGE", "/nonexistent/debian.img", 1);
	if (mkdtemp(d)) {
		snprintf(path, sizeof(path), "%s/lab.conf", d);
		write_file(path, conf, sizeof(conf) - 1, 0644);
		r1 = lab_load_opts(d, &said, &l1, false, &e);
		r2 = lab_load_opts(d, NULL, &l2, false, &e);
	}
	CHECK("said Debian: image = debian, though not on this host",
	      !r1 && l1.nnodes == 2 && !strcmp(l1.nodes[0].p->image, "debian"),
	      "%d %s", r1, e.msg);
	CHECK("not said: looked for, not here, the minimal image",
	      !r2 && l2.nnodes == 2 && !l2.nodes[0].p->image[0], "%d %s", r2,
	      e.msg);
	lab_free(&l1);
	lab_free(&l2);
	rm_rf(d);
	if (saved)
		setenv("UMNET_DEBIAN_IMAGE", saved, 1);
	free(saved);
}

/* lab.ext (host interfaces): a warning at its first line, not silence */
static void ext(void)
{
	static const char conf[] = "a[0]=A\nb[0]=A\n",
			  extf[] = "# joins\n\nA enp9s0.20\nB eth1\n";
	char d[] = "/tmp/umnet-unit-ext.XXXXXX", path[PATH_MAX + 16];
	struct strbuf out = { 0 }, warn = { 0 };
	struct err e = { "" };
	int ret = -1;

	if (mkdtemp(d)) {
		snprintf(path, sizeof(path), "%s/lab.conf", d);
		write_file(path, conf, sizeof(conf) - 1, 0644);
		snprintf(path, sizeof(path), "%s/lab.ext", d);
		write_file(path, extf, sizeof(extf) - 1, 0644);
		ret = kathara_convert(d, NULL, &out, &warn, NULL, NULL, &e);
	}
	snprintf(
		path, sizeof(path),
		"%s/lab.ext:3: warning: lab.ext joins collision domains A, B to host interfaces, which umnet does not do: they stay inside the lab",
		d);
	CHECK("lab.ext: a warning at its first line, naming the domains",
	      !ret && !strncmp(sb_str(&warn), path, strlen(path)), "%d %s", ret,
	      sb_str(&warn));
	sb_free(&out);
	sb_free(&warn);
	rm_rf(d);
}

int main(void)
{
	/* a stand-in for the Debian image: the reader only asks if it is there */
	char debian[] = "/tmp/umnet-unit-debian.XXXXXX";
	int fd = mkstemp(debian);

	if (fd < 0) {
		perror("mkstemp");
		return 1;
	}
	close(fd);
	default_image(debian);
	course_lab();
	names_and_deps();
	netkit();
	rename_key();
	bad();
	dense();
	bridged();
	ext();
	nameservers();
	load_default();
	unlink(debian);
	UNIT_DONE();
}
