// SPDX-License-Identifier: GPL-2.0
/*
 * The YAML half of umnet lab export --kubernetes (kube_yaml.h): a
 * ConfigMap's data (a literal block, a quoted string or binaryData), the
 * heads of objects and a node's ConfigMap, Service and Deployment. The
 * model walk that decides what goes in them is kube.c.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "agent_proto.h"
#include "kube_yaml.h"

/* true when s can go in a YAML literal block as it is */
static bool block_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || s[0] == ' ' || s[0] == '\n' || s[n - 1] != '\n')
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == '\r' || (c < 0x20 && c != '\n' && c != '\t') ||
		    c == 0x7f)
			return false;
		/* a line that is only spaces confuses indentation */
		if (c == '\n' && i + 1 < n && s[i + 1] == ' ')
			return false;
		if (c == ' ' && (i + 1 == n || s[i + 1] == '\n'))
			return false;
	}
	return true;
}

/* valid UTF-8 without NUL: a ConfigMap's data, else its binaryData */
static bool text_ok(const char *s, size_t n)
{
	size_t i = 0, j, k;

	while (i < n) {
		unsigned char c = s[i];

		if (!c)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		k = (c & 0xe0) == 0xc0	 ? 1
		    : (c & 0xf0) == 0xe0 ? 2
		    : (c & 0xf8) == 0xf0 ? 3
					 : 0;
		if (!k || i + k >= n)
			return false;
		for (j = 1; j <= k; j++)
			if (((unsigned char)s[i + j] & 0xc0) != 0x80)
				return false;
		i += k + 1;
	}
	return true;
}

/* "  key: value" for a ConfigMap's data, the value quoted or a block */
static void yaml_data(struct strbuf *sb, const char *key, const char *s,
		      size_t n)
{
	if (block_ok(s, n)) {
		const char *p = s;

		sb_printf(sb, "  %s: |\n", key);
		while (*p) {
			size_t l = strcspn(p, "\n");

			if (l)
				sb_printf(sb, "    %.*s\n", (int)l, p);
			else
				sb_puts(sb, "\n");
			p += l + (p[l] == '\n');
		}
	} else {
		sb_printf(sb, "  %s: ", key);
		sb_json_str(sb, s);
		sb_puts(sb, "\n");
	}
}

static void labels(struct strbuf *sb, const char *indent, const char *lab,
		   const char *node)
{
	sb_printf(sb, "%sumnet.lab: %s\n", indent, lab);
	if (node)
		sb_printf(sb, "%sumnet.node: %s\n", indent, node);
}

static void meta(struct strbuf *sb, const char *name, const char *ns,
		 const char *lab, const char *node)
{
	sb_printf(sb, "metadata:\n  name: %s\n", name);
	if (ns)
		sb_printf(sb, "  namespace: %s\n", ns);
	sb_puts(sb, "  labels:\n");
	labels(sb, "    ", lab, node);
}

void kube_object(struct strbuf *sb, const char *api, const char *kind,
		 const char *name, const char *ns, const char *lab,
		 const char *node)
{
	sb_printf(sb, "apiVersion: %s\nkind: %s\n", api, kind);
	meta(sb, name, ns, lab, node);
}

static void quoted(struct strbuf *sb, const char *s)
{
	sb_json_str(sb, s);
}

/* a pod's labels: the lab's and key: val (umnet.node, umnet.segment) */
static void sel_labels(struct strbuf *sb, const char *indent, const char *lab,
		       const char *key, const char *val)
{
	sb_printf(sb, "%sumnet.lab: %s\n%s%s: %s\n", indent, lab, indent, key,
		  val);
}

/* a pod's spec up to its one container's image: unprivileged, uid 65534 */
static void pod_head(struct strbuf *sb, const char *hostname, const char *image,
		     const char *container)
{
	sb_printf(sb,
		  "    spec:\n"
		  "      hostname: %s\n"
		  "      automountServiceAccountToken: false\n"
		  "      enableServiceLinks: false\n"
		  "      terminationGracePeriodSeconds: 20\n"
		  "      securityContext:\n"
		  "        runAsNonRoot: true\n"
		  "        runAsUser: %d\n"
		  "        runAsGroup: %d\n"
		  "      containers:\n"
		  "      - name: %s\n"
		  "        image: %s\n"
		  "        imagePullPolicy: IfNotPresent\n",
		  hostname, KUBE_RUN_UID, KUBE_RUN_UID, container, image);
}

/*
 * "---" and a Deployment of one pod, selected by the lab's label and
 * key: val, up to its container's image
 */
static void deployment_head(struct strbuf *sb, const char *name, const char *ns,
			    const char *lab, const char *node, const char *key,
			    const char *val, const char *container,
			    const char *image)
{
	sb_puts(sb, "---\n");
	kube_object(sb, "apps/v1", "Deployment", name, ns, lab, node);
	sb_puts(sb, "spec:\n  replicas: 1\n  strategy:\n    type: Recreate\n"
		    "  selector:\n    matchLabels:\n");
	sel_labels(sb, "      ", lab, key, val);
	sb_puts(sb, "  template:\n    metadata:\n      labels:\n");
	sel_labels(sb, "        ", lab, key, val);
	pod_head(sb, name, image, container);
}

/* the container's: TMPDIR, no privilege, every capability dropped */
static void ctr_security(struct strbuf *sb)
{
	sb_puts(sb,
		"        env:\n"
		"        - name: TMPDIR\n          value: /tmp\n"
		"        securityContext:\n"
		"          privileged: false\n"
		"          allowPrivilegeEscalation: false\n"
		"          capabilities:\n            drop:\n            - ALL\n");
}

void kube_node_yaml(struct strbuf *sb, const struct lab *lab, int i,
		    const char *ns, const char *image, const char *profile,
		    const char *tests, struct cfg_item *items, int nitems,
		    const char (*peers)[80], int npeers)
{
	const struct lab_node *n = &lab->nodes[i];
	char kn[KUBE_NAME_MAX + 1], lname[NODE_NAME_MAX + 1];
	unsigned long mem = n->p->mem_mb;
	bool bin;
	int k;

	kube_name(n->name, kn, sizeof(kn));
	lab_node_hostname(lab, i, lname, sizeof(lname));

	/* the ConfigMap: profile, tests, files */
	kube_object(sb, "v1", "ConfigMap", kn, ns, lab->name, n->name);
	sb_puts(sb, "data:\n");
	yaml_data(sb, "node.profile", profile, strlen(profile));
	yaml_data(sb, "lab.lab", tests, strlen(tests));
	for (k = 0; k < nitems; k++)
		if (text_ok(items[k].data, items[k].len))
			yaml_data(sb, items[k].key, items[k].data,
				  items[k].len);
	for (k = 0, bin = false; k < nitems; k++) {
		char *b64;

		if (text_ok(items[k].data, items[k].len))
			continue;
		b64 = malloc(b64_encoded_len(items[k].len) + 1);
		if (!b64) {
			sb->oom = true;
			continue;
		}
		b64_encode(items[k].data, items[k].len, b64);
		sb_printf(sb, "%s  %s: %s\n", bin ? "" : "binaryData:\n",
			  items[k].key, b64);
		bin = true;
		free(b64);
	}

	/* the headless Service: the node's DNS name, before it is ready */
	sb_puts(sb, "---\n");
	kube_object(sb, "v1", "Service", kn, ns, lab->name, n->name);
	sb_puts(sb, "spec:\n  clusterIP: None\n"
		    "  publishNotReadyAddresses: true\n  selector:\n");
	labels(sb, "    ", lab->name, n->name);
	/* one UDP port per link; port names: IANA_SVC_NAME, at most 15 */
	if (npeers)
		sb_puts(sb, "  ports:\n");
	for (k = 0; k < lab->nlinks; k++)
		for (int j = 0; j < lab->links[k].neps; j++)
			if (lab->links[k].eps[j].node == i)
				sb_printf(sb,
					  "  - name: l2tp-%d\n"
					  "    protocol: UDP\n    port: %d\n",
					  k, KUBE_PORT_BASE + k);

	/* the Deployment: one unprivileged pod */
	deployment_head(sb, kn, ns, lab->name, n->name, "umnet.node", n->name,
			"node", image);
	sb_puts(sb, "        args:\n");
	for (k = 0; k < npeers; k++) {
		sb_puts(sb, "        - --peer\n        - ");
		quoted(sb, peers[k]);
		sb_puts(sb, "\n");
	}
	for (k = 0; k < nitems; k++)
		if (!strcmp(items[k].key, KUBE_FILES_KEY))
			sb_printf(sb,
				  "        - --unpack\n        - %s/%s=%s\n",
				  KUBE_CONFIG_DIR, KUBE_FILES_KEY,
				  KUBE_FILES_DIR);
	sb_printf(sb, "        - %s/node.profile\n", KUBE_CONFIG_DIR);
	ctr_security(sb);
	sb_printf(sb,
		  "        resources:\n"
		  "          requests:\n            memory: %luMi\n"
		  "            cpu: 50m\n"
		  "          limits:\n            memory: %luMi\n"
		  "        readinessProbe:\n"
		  "          exec:\n"
		  "            command:\n"
		  "            - umnet\n            - exec\n            - %s\n"
		  "            - --\n            - \"true\"\n"
		  "          initialDelaySeconds: 1\n"
		  "          periodSeconds: 2\n"
		  "          timeoutSeconds: 5\n"
		  "        volumeMounts:\n"
		  "        - name: config\n"
		  "          mountPath: %s\n"
		  "          readOnly: true\n"
		  "      volumes:\n"
		  "      - name: config\n"
		  "        configMap:\n"
		  "          name: %s\n",
		  mem + 32, mem + 64, lname, KUBE_CONFIG_DIR, kn);
}

void kube_seg_yaml(struct strbuf *sb, const struct lab *lab, int li,
		   const char *ns, const char *image, const char (*peers)[160],
		   int npeers)
{
	const struct lab_link *l = &lab->links[li];
	char sn[KUBE_NAME_MAX + 1];
	int k;

	kube_seg_name(l->name, sn, sizeof(sn));
	/* the headless Service: the switch's DNS name for its nodes */
	kube_object(sb, "v1", "Service", sn, ns, lab->name, NULL);
	sb_puts(sb, "spec:\n  clusterIP: None\n"
		    "  publishNotReadyAddresses: true\n  selector:\n");
	sel_labels(sb, "    ", lab->name, "umnet.segment", l->name);
	sb_printf(sb,
		  "  ports:\n  - name: l2tp-%d\n    protocol: UDP\n"
		  "    port: %d\n",
		  li, KUBE_PORT_BASE + li);

	/* the Deployment: one unprivileged pod running the switch */
	deployment_head(sb, sn, ns, lab->name, NULL, "umnet.segment", l->name,
			"switch", image);
	sb_printf(sb,
		  "        command:\n        - umnet\n"
		  "        args:\n        - switch\n        - -d\n"
		  "        - -v\n        - -s\n        - %s\n"
		  "        - --l2tp\n        - 0.0.0.0:%d\n",
		  KUBE_SWITCH_SOCK, KUBE_PORT_BASE + li);
	for (k = 0; k < npeers; k++) {
		sb_puts(sb, "        - --l2tp-peer\n        - ");
		quoted(sb, peers[k]);
		sb_puts(sb, "\n");
	}
	ctr_security(sb);
	sb_printf(sb,
		  "        resources:\n"
		  "          requests:\n            memory: 16Mi\n"
		  "            cpu: 20m\n"
		  "          limits:\n            memory: 64Mi\n"
		  "        readinessProbe:\n"
		  "          exec:\n"
		  "            command:\n"
		  "            - umnet\n            - switch\n"
		  "            - status\n            - -s\n            - %s\n"
		  "          initialDelaySeconds: 1\n"
		  "          periodSeconds: 2\n"
		  "          timeoutSeconds: 5\n",
		  KUBE_SWITCH_SOCK);
}

void kube_test_lab(const struct lab *lab, struct strbuf *sb)
{
	char buf[64];
	int i, j, k;

	sb_printf(sb,
		  "# the lab's tests, run inside its pods (umnet node test)\n"
		  "[lab]\nname = %s\n",
		  lab->name);
	for (i = 0; i < lab->nnodes; i++) {
		const struct lab_node *n = &lab->nodes[i];

		sb_printf(sb, "\n[node %s]\n", n->name);
		if (n->p) {
			for (j = 0; j < n->p->nloopbacks; j++)
				sb_printf(sb, "loopback = %s\n",
					  ip_prefix_str(&n->p->loopbacks[j],
							buf, sizeof(buf)));
			/* the interfaces' names inside, for link steps */
			for (j = 0; j < n->p->nrenames; j++)
				sb_printf(sb, "rename = vec%d %s\n",
					  n->p->renames[j].vec,
					  n->p->renames[j].name);
		} else {
			for (j = 0; j < n->nkvs; j++)
				if (!strcmp(n->kvs[j].key, "loopback"))
					sb_printf(sb, "loopback = %s\n",
						  n->kvs[j].value);
		}
	}
	for (i = 0; i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];

		sb_printf(sb, "\n[link %s]\n", l->name);
		for (j = 0; j < l->neps; j++) {
			const struct lab_endpoint *ep = &l->eps[j];

			sb_printf(sb, "endpoint = %s",
				  lab->nodes[ep->node].name);
			/* as compiled: the pod reads this lab uncompiled */
			if (ep->vec >= 0)
				sb_printf(sb, ":vec%d", ep->vec);
			for (k = 0; k < ep->naddrs; k++)
				sb_printf(sb, " %s",
					  ip_prefix_str(&ep->addrs[k], buf,
							sizeof(buf)));
			sb_puts(sb, "\n");
		}
	}
	if (!lab->ntests)
		return;
	sb_puts(sb, "\n[test]\n");
	for (i = 0; i < lab->ntests; i++) {
		const char *t = lab->tests[i].text;
		size_t kl = strcspn(t, " ");

		sb_printf(sb, "%.*s = %s\n", (int)kl, t,
			  t[kl] ? t + kl + 1 : "");
	}
}
