// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the Kubernetes export (src/kube.c): the YAML it writes. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent_proto.h"
#include "kube.h"
#include "kube_unit.h"
#include "lab.h"
#include "lab_unit.h"
#include "profile.h"
#include "tar.h"
#include "transport.h"
#include "unit.h"
#include "yaml_block.h"

static const char *lab_text = "[lab]\n"
			      "name = kt\n"
			      "mem = 48M\n"
			      "\n"
			      "[node r1]\n"
			      "loopback = 10.255.0.1/32\n"
			      "forwarding = yes\n"
			      "\n"
			      "[node r_2]\n"
			      "run = echo hi > /tmp/x\n"
			      "\n"
			      "[link l1]\n"
			      "endpoint = r1 10.70.0.1/24\n"
			      "endpoint = r_2 10.70.0.2/24\n"
			      "\n"
			      "[test]\n"
			      "reach = r1 r_2\n"
			      "wait-for = 10 reach r_2 10.255.0.1\n"
			      "exec = r_2 match=hi -- cat /tmp/x\n";

/* the literal block "  KEY: |" of a ConfigMap, unindented, in out */
static bool block(const char *yaml, const char *key, char *out, size_t len)
{
	struct strbuf sb = { 0 };
	bool ok = yaml_block(yaml, key, &sb) && !sb.oom &&
		  !strscpy(out, sb_str(&sb), len);

	sb_free(&sb);
	return ok;
}

static const char *opt(const struct iface *ifc, const char *k)
{
	return iface_opt(ifc, k) ?: "";
}

static void export_two(void)
{
	struct kube_manifests m = { 0 };
	struct lab lab = { 0 }, tl = { 0 };
	struct profile *p1 = calloc(1, sizeof(*p1)),
		       *p2 = calloc(1, sizeof(*p2));
	struct err e = { "" };
	char buf[8192], buf2[8192];
	const char *ns, *y1, *y2;
	int ret;

	ret = lab_unit_text(lab_text, &lab, &e);
	CHECK("the lab parses and compiles", ret == 0, "%s", e.msg);
	if (ret)
		goto out;
	ret = kube_export(&lab, NULL, &m, &e);
	CHECK("kube_export succeeds", ret == 0, "%s", e.msg);
	if (ret)
		goto out;
	CHECK_INT("three files: namespace and one per node", m.nfiles, 3);
	ns = kube_file_text(&m, "namespace.yaml");
	y1 = kube_file_text(&m, "r1.yaml");
	y2 = kube_file_text(&m, "r-2.yaml");
	CHECK("namespace.yaml, r1.yaml, r-2.yaml (DNS names)", ns && y1 && y2,
	      "files: %s %s %s", m.files[0].name, m.files[1].name,
	      m.nfiles > 2 ? m.files[2].name : "");
	if (!ns || !y1 || !y2)
		goto out;
	CHECK_STR("the lab's own namespace", ns,
		  "# umnet lab kt (umnet lab export --kubernetes)\n"
		  "apiVersion: v1\nkind: Namespace\n"
		  "metadata:\n  name: umnet-kt\n  labels:\n"
		  "    umnet.lab: kt\n");

	/* only core kinds, in this order */
	{
		char kinds[256] = "";
		const char *p = y1;

		while ((p = strstr(p, "\nkind: "))) {
			p += 7;
			strncat(kinds, p, strcspn(p, "\n"));
			strcat(kinds, " ");
		}
		CHECK_STR("per node: ConfigMap, Service, Deployment", kinds,
			  "ConfigMap Service Deployment ");
		CHECK("apiVersions are v1 and apps/v1 only",
		      !strstr(y1, "apiVersion: ") ||
			      (strstr(y1, "apiVersion: v1\nkind: ConfigMap") &&
			       strstr(y1, "apiVersion: v1\nkind: Service") &&
			       strstr(y1,
				      "apiVersion: apps/v1\nkind: Deployment")),
		      "%s", y1);
		p = y1;
		ret = 0;
		while ((p = strstr(p, "apiVersion: "))) {
			p += 12;
			if (strncmp(p, "v1\n", 3) && strncmp(p, "apps/v1\n", 8))
				ret = 1;
		}
		CHECK("no other apiVersion", !ret, "%s", y1);
	}
	CHECK("labels umnet.lab and umnet.node on every object",
	      strstr(y1,
		     "metadata:\n  name: r1\n  namespace: umnet-kt\n  labels:\n    umnet.lab: kt\n    umnet.node: r1\n") !=
		      NULL,
	      "%s", y1);
	CHECK("the Deployment has one replica and selects the node",
	      strstr(y1, "  replicas: 1\n") &&
		      strstr(y1,
			     "  selector:\n    matchLabels:\n      umnet.lab: kt\n      umnet.node: r1\n"),
	      "%s", y1);
	CHECK("a headless Service that publishes the pod before it is ready",
	      strstr(y1, "kind: Service\n") &&
		      strstr(y1,
			     "  clusterIP: None\n  publishNotReadyAddresses: true\n") &&
		      strstr(y1,
			     "  - name: l2tp-0\n    protocol: UDP\n    port: 10000\n"),
	      "%s", y1);
	CHECK("unprivileged: runAsNonRoot as 65534, no escalation, drop ALL",
	      strstr(y1,
		     "        runAsNonRoot: true\n        runAsUser: 65534\n") &&
		      strstr(y1,
			     "          privileged: false\n          allowPrivilegeEscalation: false\n"
			     "          capabilities:\n            drop:\n            - ALL\n"),
	      "%s", y1);
	CHECK("no hostPath, no /dev/kvm, no added capability, no host network",
	      !strstr(y1, "hostPath") && !strstr(y1, "/dev/kvm") &&
		      !strstr(y1, "add:") && !strstr(y1, "hostNetwork") &&
		      !strstr(y1, "privileged: true"),
	      "%s", y1);
	CHECK("memory: request mem + 32 MiB, limit mem + 64 MiB",
	      strstr(y1, "          requests:\n            memory: 80Mi\n") &&
		      strstr(y1,
			     "          limits:\n            memory: 112Mi\n"),
	      "%s", y1);
	CHECK("readiness: umnet exec in the pod",
	      strstr(y1,
		     "        readinessProbe:\n          exec:\n            command:\n"
		     "            - umnet\n            - exec\n            - kt.r1\n"
		     "            - --\n            - \"true\"\n") != NULL,
	      "%s", y1);
	CHECK("node run finds its peer by the far node's Service name",
	      strstr(y1,
		     "        args:\n        - --peer\n        - \"vec0=r-2\"\n"
		     "        - /etc/umnet/node/node.profile\n") &&
		      strstr(y2, "        - \"vec0=r1\"\n"),
	      "%s", y1);
	CHECK("the ConfigMap is mounted read-only",
	      strstr(y1,
		     "        - name: config\n          mountPath: /etc/umnet/node\n"
		     "          readOnly: true\n") &&
		      strstr(y1, "        configMap:\n          name: r1\n"),
	      "%s", y1);
	CHECK("no tab in the YAML", !strchr(y1, '\t') && !strchr(y2, '\t'),
	      "%s", y1);

	/* the profiles in the ConfigMaps: parse, and the two ends agree */
	CHECK("r1's node.profile is a literal block",
	      block(y1, "node.profile", buf, sizeof(buf)), "%s", y1);
	CHECK("r-2's node.profile is a literal block",
	      block(y2, "node.profile", buf2, sizeof(buf2)), "%s", y2);
	ret = profile_parse_string("r1.profile", buf, p1, &e);
	CHECK("r1's profile parses", ret == 0, "%s\n%s", e.msg, buf);
	if (!ret)
		ret = profile_parse_string("r2.profile", buf2, p2, &e);
	CHECK("r-2's profile parses", ret == 0, "%s\n%s", e.msg, buf2);
	if (!ret) {
		const struct iface *a = &p1->ifaces[0], *b = &p2->ifaces[0];

		CHECK_STR("r1 is named as in the lab (LAB.NODE)", p1->name,
			  "kt.r1");
		CHECK_INT("mem kept", p1->mem_mb, 48);
		CHECK_INT("one interface each", p1->nifaces * 10 + p2->nifaces,
			  11);
		CHECK_STR("vec0 is l2tpv3", a->transport->name, "l2tpv3");
		CHECK_STR("over UDP", opt(a, "udp"), "1");
		CHECK_STR("bound to the pod's addresses", opt(a, "src"),
			  "0.0.0.0");
		CHECK_STR("port 10000 both ends", opt(a, "srcport"),
			  opt(b, "dstport"));
		CHECK_STR("r1's rx session is r-2's tx session",
			  opt(a, "rx_session"), opt(b, "tx_session"));
		CHECK_STR("r1's tx session is r-2's rx session",
			  opt(a, "tx_session"), opt(b, "rx_session"));
		CHECK("the two sessions differ",
		      strcmp(opt(a, "rx_session"), opt(a, "tx_session")), "%s",
		      opt(a, "rx_session"));
		CHECK_STR("cookies cross", opt(a, "rx_cookie"),
			  opt(b, "tx_cookie"));
		CHECK_STR("follow = 1: a replaced peer pod is followed",
			  opt(a, "follow"), "1");
		CHECK("a stable MAC: a replaced pod's neighbours keep theirs",
		      strlen(opt(a, "mac")) == 17 &&
			      strcmp(opt(a, "mac"), opt(b, "mac")),
		      "%s %s", opt(a, "mac"), opt(b, "mac"));
		CHECK_INT("the address stays", a->naddrs, 1);
		CHECK_INT("no host side", a->host, HOST_NONE);
		CHECK_INT("startup commands travel in the profile", p2->nruns,
			  1);
	}

	/* the tests' lab: parses, same tests in the same order */
	CHECK("lab.lab is in the ConfigMap",
	      block(y1, "lab.lab", buf, sizeof(buf)), "%s", y1);
	ret = lab_parse("/etc/umnet/node/lab.lab", buf, "/", &tl, &e);
	CHECK("the tests' lab parses", ret == 0, "%s\n%s", e.msg, buf);
	if (!ret) {
		CHECK_INT("same number of tests", tl.ntests, lab.ntests);
		for (int i = 0; i < tl.ntests && i < lab.ntests; i++)
			CHECK_STR("same test text", tl.tests[i].text,
				  lab.tests[i].text);
		CHECK_INT("wait-for kept", tl.tests[1].wait_s, 10);
		{
			char a1[64] = "", a2[64] = "";

			lab_resolve(&lab, 1, "r1", false, a1, sizeof(a1));
			lab_resolve(&tl, 1, "r1", false, a2, sizeof(a2));
			CHECK_STR("a node resolves to the same address", a2,
				  a1);
		}
		/* link steps in a pod: the compiled vecN, uncompiled */
		CHECK("endpoints name their compiled vecN",
		      tl.links[0].eps[0].vec == lab.links[0].eps[0].vec &&
			      tl.links[0].eps[1].vec ==
				      lab.links[0].eps[1].vec &&
			      tl.links[0].eps[0].vec >= 0,
		      "%s", buf);
	}
out:
	kube_manifests_free(&m);
	lab_free(&lab);
	lab_free(&tl);
	free(p1);
	free(p2);
}

/* a router between two others: two links, two ports, two peers */
static void chain(void)
{
	struct kube_manifests m = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	const char *y;
	int ret =
		lab_unit_text("[lab]\nname = c\n[node a]\n[node b]\n[node c]\n"
			      "[link x]\nendpoint = a 10.1.0.1/24\n"
			      "endpoint = b 10.1.0.2/24\n"
			      "[link y]\nendpoint = b 10.2.0.1/24\n"
			      "endpoint = c 10.2.0.2/24\n",
			      &lab, &e);

	if (!ret)
		ret = kube_export(&lab, NULL, &m, &e);
	CHECK("a chain of three exports", ret == 0, "%s", e.msg);
	y = ret ? NULL : kube_file_text(&m, "b.yaml");
	if (y) {
		CHECK("the middle node has both peers",
		      strstr(y, "        - --peer\n        - \"vec0=a\"\n"
				"        - --peer\n        - \"vec1=c\"\n") !=
			      NULL,
		      "%s", y);
		CHECK("a port per link, numbered by the lab's link index",
		      strstr(y, "    port: 10000\n") &&
			      strstr(y, "  - name: l2tp-1\n    protocol: UDP\n"
					"    port: 10001\n"),
		      "%s", y);
		CHECK("vec1 binds port 10001",
		      strstr(y, "    [interface vec1]\n    transport = l2tpv3\n"
				"    udp = 1\n    src = 0.0.0.0\n"
				"    dst = 127.0.0.1\n    srcport = 10001\n"
				"    dstport = 10001\n") != NULL,
		      "%s", y);
	}
	kube_manifests_free(&m);
	lab_free(&lab);
}

static void refused(void)
{
	static const struct {
		const char *what, *lab, *want;
	} cases[] = {
		{ "a node named as a segment's switch is refused",
		  "[lab]\nname = x\n[node a]\n[node b]\n[node seg-s]\n"
		  "[link s]\nendpoint = a 10.1.0.1/24\n"
		  "endpoint = b 10.1.0.2/24\nendpoint = seg-s 10.1.0.3/24\n",
		  "node seg-s and the switch of segment s both become seg-s" },
		{ "two nodes with one DNS name are refused",
		  "[lab]\nname = x\n[node R1]\n[node r1]\n", "both become r1" },
		{ "a bridged node is refused, told why",
		  "[lab]\nname = x\n[node a]\nbridged = yes\n",
		  "node a: bridged = yes (Kathará: a[bridged]=true): a link to the host cannot be exported" },
		{ "a persistent disk is refused",
		  "[lab]\nname = x\n[node a]\ndisk = /tmp/a.cow\n",
		  "persistent disk" },
		{ "an image the OCI image does not hold is refused",
		  "[lab]\nname = x\n[node a]\nimage = debian\n",
		  "node a: image = debian: the node image 'make image' builds holds the minimal root image only" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct kube_manifests m = { 0 };
		struct lab lab = { 0 };
		struct err e = { "" };
		int ret = lab_unit_text(cases[i].lab, &lab, &e);

		if (!ret)
			ret = kube_export(&lab, NULL, &m, &e);
		CHECK(cases[i].what, ret < 0 && strstr(e.msg, cases[i].want),
		      "ret %d: %s", ret, e.msg);
		CHECK("nothing is left on failure", !m.files && !m.nfiles,
		      "%d files", m.nfiles);
		kube_manifests_free(&m);
		lab_free(&lab);
	}
	{
		struct kube_manifests m = { 0 };
		struct lab lab = { 0 };
		struct err e = { "" };
		int ret =
			lab_unit_text("[lab]\nname = x\n[node a]\n", &lab, &e);

		if (!ret)
			ret = kube_export(&lab,
					  &(struct kube_opts){ .ns = "Bad_NS" },
					  &m, &e);
		CHECK("a namespace that is not a DNS label is refused",
		      ret == -EINVAL && strstr(e.msg, "--namespace Bad_NS"),
		      "%s", e.msg);
		kube_manifests_free(&m);
		lab_free(&lab);
	}
	for (int other = 0; other < 2; other++) {
		struct kube_manifests m = { 0 };
		struct lab lab = { 0 };
		struct err e = { "" };
		int ret = lab_unit_text(
			other ? "[lab]\nname = x\n[node a]\nimage = /x/frr.img\n"
			      : "[lab]\nname = x\n[node a]\nimage = debian\n",
			&lab, &e);

		/* the unit labs do not check images: only the export does */
		if (!ret)
			ret = kube_export(&lab,
					  &(struct kube_opts){ .debian = true },
					  &m, &e);
		if (other)
			CHECK("--debian: another image is still refused",
			      ret == -EINVAL &&
				      strstr(e.msg,
					     "minimal root image and the Debian one only"),
			      "%d %s", ret, e.msg);
		else
			CHECK("--debian: image = debian is exported",
			      !ret && strstr(sb_str(&m.files[1].text),
					     "    image = debian\n"),
			      "%d %s", ret, e.msg);
		kube_manifests_free(&m);
		lab_free(&lab);
	}
}

/* a 3-node segment: a switch pod whose remote ports match the nodes' ends */
static void segment(void)
{
	struct kube_manifests m = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	struct lab_l2tp_ids ids;
	const char *y, *sw;
	char want[256];
	int ret, j;

	ret = lab_unit_text(
		"[lab]\nname = x\n[node a]\n[node b]\n[node c]\n"
		"[link w]\nendpoint = a 10.2.0.1/24\nendpoint = b 10.2.0.2/24\n"
		"[link s]\nendpoint = a 10.1.0.1/24\n"
		"endpoint = b 10.1.0.2/24\nendpoint = c 10.1.0.3/24\n",
		&lab, &e);
	if (!ret)
		ret = kube_export(&lab, NULL, &m, &e);
	CHECK("a lab with a segment exports", ret == 0, "%s", e.msg);
	if (ret)
		goto out;
	CHECK_INT("five files: namespace, 3 nodes, the segment's switch",
		  m.nfiles, 5);
	sw = kube_file_text(&m, "seg-s.yaml");
	CHECK("seg-s.yaml: a Service and a Deployment running umnet switch",
	      sw && strstr(sw, "kind: Service\n") &&
		      strstr(sw, "kind: Deployment\n") &&
		      strstr(sw, "    umnet.segment: s\n") &&
		      !strstr(sw, "umnet.node") &&
		      strstr(sw, "        command:\n        - umnet\n"
				 "        args:\n        - switch\n") &&
		      strstr(sw, "        - --l2tp\n        - 0.0.0.0:10001\n"),
	      "%s", sw ? sw : "(none)");
	if (!sw)
		goto out;
	CHECK("the switch pod is unprivileged as the node pods",
	      strstr(sw, "runAsNonRoot: true") &&
		      strstr(sw, "allowPrivilegeEscalation: false") &&
		      strstr(sw, "drop:\n            - ALL\n"),
	      "%s", sw);
	for (j = 0; j < 3; j++) {
		lab_seg_ids("x", &lab.links[1], j, 0, &ids);
		snprintf(
			want, sizeof(want),
			"        - --l2tp-peer\n        - \"%c:10001,rx_session=%u,tx_session=%u,rx_cookie=%u,tx_cookie=%u\"\n",
			'a' + j, ids.rx_session, ids.tx_session, ids.rx_cookie,
			ids.tx_cookie);
		CHECK("a remote port per node, with the switch's side of its ids",
		      strstr(sw, want) != NULL, "no %s in %s", want, sw);
	}
	y = kube_file_text(&m, "c.yaml");
	lab_seg_ids("x", &lab.links[1], 2, 1, &ids);
	snprintf(
		want, sizeof(want),
		"    srcport = 10001\n    dstport = 10001\n    rx_session = %u\n    tx_session = %u\n    rx_cookie = %u\n    tx_cookie = %u\n",
		ids.rx_session, ids.tx_session, ids.rx_cookie, ids.tx_cookie);
	CHECK("node c: its end points at the switch with the node's side",
	      y && strstr(y, want) && strstr(y, "- \"vec0=seg-s\"\n"),
	      "no %s in %s", want, y ? y : "(none)");
	lab_seg_ids("x", &lab.links[1], 2, 0, &ids);
	{
		struct lab_l2tp_ids node;

		lab_seg_ids("x", &lab.links[1], 2, 1, &node);
		CHECK("the two sides mirror each other",
		      ids.rx_session == node.tx_session &&
			      ids.tx_session == node.rx_session &&
			      ids.rx_cookie == node.tx_cookie &&
			      ids.tx_cookie == node.rx_cookie,
		      "%u %u", ids.rx_session, node.tx_session);
	}
out:
	kube_manifests_free(&m);
	lab_free(&lab);
}

static void names_and_peers(void)
{
	char buf[64], host[64];
	struct err e = { "" };
	int vec = -1;

	kube_name("Lab_One", buf, sizeof(buf));
	CHECK_STR("kube_name lowercases and maps _ to -", buf, "lab-one");
	CHECK("vec3=r-2 parses",
	      !kube_peer_parse("vec3=r-2", &vec, host, sizeof(host), &e) &&
		      vec == 3 && !strcmp(host, "r-2"),
	      "%s", e.msg);
	CHECK("vec16=x is refused",
	      kube_peer_parse("vec16=x", &vec, host, sizeof(host), &e) ==
		      -EINVAL,
	      "accepted");
	CHECK("eth0=x is refused",
	      kube_peer_parse("eth0=x", &vec, host, sizeof(host), &e) ==
		      -EINVAL,
	      "accepted");
	CHECK("vec1= is refused",
	      kube_peer_parse("vec1=", &vec, host, sizeof(host), &e) ==
			      -EINVAL &&
		      strstr(e.msg, "vecN=HOST"),
	      "%s", e.msg);
}

int main(void)
{
	export_two();
	segment();
	chain();
	refused();
	names_and_peers();
	UNIT_DONE();
}
