// SPDX-License-Identifier: GPL-2.0
/*
 * umnet lab export --kubernetes: a lab as plain manifests (kube.h).
 *
 * Each node's compiled profile (lab_compile) is rewritten for a pod: every
 * link endpoint becomes `transport = l2tpv3, udp = 1` bound to the pod's
 * own addresses (src = 0.0.0.0) on port KUBE_PORT_BASE + link index, both
 * ends the same port, sessions and cookies derived from the lab and link
 * names so both sides agree without talking; dst is a placeholder that
 * `umnet node run --peer vecN=NAME` replaces with the address NAME (the
 * far node's headless Service) resolves to when the pod starts. Files the
 * profile copies in (file =, ruleset =) travel in the ConfigMap. A switch
 * segment becomes one more Deployment and headless Service, seg-LINK,
 * running `umnet switch` with a remote port (--l2tp-peer NODE:PORT) per
 * endpoint; its nodes' ends point at seg-LINK, each with a session and
 * cookie of its own (lab_seg_ids). The YAML itself is written by
 * kube_yaml.c.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kube.h"
#include "kube_yaml.h"
#include "profile.h"
#include "tar.h"
#include "transport.h"

void kube_name(const char *s, char *out, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		else if (c == '_' || c == '.')
			c = '-';
		out[i] = c;
	}
	if (len)
		out[i < len ? i : len - 1] = '\0';
}

void kube_seg_name(const char *link, char *out, size_t len)
{
	char kn[KUBE_NAME_MAX + 1];

	kube_name(link, kn, sizeof(kn));
	snprintf(out, len, "seg-%.*s", KUBE_NAME_MAX - 4, kn);
}

int kube_peer_parse(const char *arg, int *vec, char *host, size_t len,
		    struct err *e)
{
	unsigned long v;
	const char *eq = strchr(arg, '=');
	char num[16];

	if (strncmp(arg, "vec", 3) || !eq || eq - arg - 3 < 1 ||
	    eq - arg - 3 >= (long)sizeof(num) || !eq[1])
		return errf(e, -EINVAL,
			    "--peer %s: must be vecN=HOST, e.g. vec0=r2", arg);
	snprintf(num, sizeof(num), "%.*s", (int)(eq - arg - 3), arg + 3);
	if (parse_uint(num, 0, MAX_IFACES - 1, &v) ||
	    !host_name_valid(eq + 1, len - 1))
		return errf(
			e, -EINVAL,
			"--peer %s: must be vecN=HOST with N 0..%d and HOST a DNS name",
			arg, MAX_IFACES - 1);
	*vec = (int)v;
	strscpy(host, eq + 1, len);
	return 0;
}

static void set_opt(struct iface *ifc, const char *k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_opt(struct iface *ifc, const char *k, const char *fmt, ...)
{
	struct vec_opt *o = &ifc->opts[ifc->nopts++];
	va_list ap;

	strscpy(o->key, k, sizeof(o->key));
	va_start(ap, fmt);
	vsnprintf(o->value, sizeof(o->value), fmt, ap);
	va_end(ap);
	o->line = 0;
}

static struct iface *find_iface(struct profile *p, int vec)
{
	for (int i = 0; i < p->nifaces; i++)
		if (p->ifaces[i].index == vec)
			return &p->ifaces[i];
	return NULL;
}

/* the interface of end j of link li, as a pod has it */
static void pod_iface(const struct profile *p, struct iface *ifc,
		      const struct lab *lab, int li, int j)
{
	const struct lab_link *l = &lab->links[li];
	struct lab_l2tp_ids ids;

	if (l->kind == LINK_SWITCH)
		lab_seg_ids(lab->name, l, j, 1, &ids);
	else
		lab_l2tp_ids(lab->name, l->name, j, &ids);

	char mac[sizeof(ifc->opts[0].value)] = "", mtu[sizeof(mac)] = "";
	const char *v;

	/* a stable MAC (a replaced pod keeps its neighbours' ARP entries
	 * right) and the lab's MTU; the rest is the pod's transport */
	if ((v = iface_opt(ifc, "mac")))
		strscpy(mac, v, sizeof(mac));
	else
		node_mac(p->name, ifc->index, mac); /* as fd and bess have */
	if ((v = iface_opt(ifc, "mtu")))
		strscpy(mtu, v, sizeof(mtu));
	ifc->transport = &transport_l2tpv3;
	ifc->nopts = 0;
	set_opt(ifc, "udp", "1");
	set_opt(ifc, "src", "0.0.0.0");
	/* replaced at start by umnet node run --peer vecN=HOST */
	set_opt(ifc, "dst", "127.0.0.1");
	set_opt(ifc, "srcport", "%d", KUBE_PORT_BASE + li);
	set_opt(ifc, "dstport", "%d", KUBE_PORT_BASE + li);
	set_opt(ifc, "rx_session", "%u", ids.rx_session);
	set_opt(ifc, "tx_session", "%u", ids.tx_session);
	set_opt(ifc, "rx_cookie", "%u", ids.rx_cookie);
	set_opt(ifc, "tx_cookie", "%u", ids.tx_cookie);
	/* a peer pod replaced with a new address is sent to where it is */
	set_opt(ifc, "follow", "1");
	set_opt(ifc, "mac", "%s", mac);
	if (mtu[0])
		set_opt(ifc, "mtu", "%s", mtu);
	ifc->host = HOST_NONE;
	ifc->host_ifname[0] = ifc->host_netns[0] = ifc->host_bridge[0] = '\0';
	ifc->nhost_addrs = ifc->nhost_routes = 0;
}

/* a DNS label (RFC 1123): a-z, 0-9, '-' inside, at most 63 */
static bool dns_label(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > KUBE_NAME_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* a host file the profile names, read into the ConfigMap as key */
static int add_file(struct cfg_item *items, int *n, const char *key,
		    const char *src, const char *node, struct err *e)
{
	struct cfg_item *it = &items[*n];
	int ret;

	ret = read_all(src, KUBE_FILE_MAX, &it->data, &it->len);
	if (ret == -EFBIG)
		return errf(
			e, ret,
			"node %s: %s: more than a ConfigMap should hold (%d KiB)",
			node, src, KUBE_FILE_MAX / 1024);
	if (ret)
		return errf(e, ret, "node %s: %s: %s", node, src,
			    strerror(-ret));
	strscpy(it->key, key, sizeof(it->key));
	(*n)++;
	return 0;
}

/* a directory, or a file of another mode than 0644 (an executable, a
 * key only root may read): in the archive (a ConfigMap's keys are flat
 * files, mode 0644 in the pod) */
static bool in_archive(const char *src)
{
	struct stat st;

	return !stat(src, &st) &&
	       (S_ISDIR(st.st_mode) || (st.st_mode & 07777) != 0644);
}

/* file = number k, the tree at src, into the archive tar as "k" */
static int add_tree(struct strbuf *tar, const char *src, int k,
		    const char *node, struct err *e)
{
	char as[16];
	int ret;

	snprintf(as, sizeof(as), "%d", k);
	ret = tar_add(tar, src, as, KUBE_FILE_MAX, e);
	if (ret == -EFBIG)
		return errf(
			e, ret,
			"node %s: file = %s: its tree and executables are more than a ConfigMap should hold (%d KiB)",
			node, src, KUBE_FILE_MAX / 1024);
	if (ret) {
		struct err why = *e;

		return errf(e, ret, "node %s: file = %s: %s", node, src,
			    why.msg);
	}
	return 0;
}

static int check_node(const struct lab *lab, int i, const bool *linked,
		      bool debian, struct err *e)
{
	const struct profile *p = lab->nodes[i].p;
	const char *n = lab->nodes[i].name;

	if (!p)
		return errf(e, -EINVAL, "node %s: the lab is not compiled", n);
	if (p->netns[0])
		return errf(
			e, -EINVAL,
			"node %s: netns = %s: a pod is its own namespace (remove the key to export)",
			n, p->netns);
	if (p->disk[0])
		return errf(
			e, -EINVAL,
			"node %s: disk = %s: a persistent disk cannot be exported (a pod's disk lives as long as the pod)",
			n, p->disk);
	if (p->nbpfs)
		return errf(
			e, -EINVAL,
			"node %s: eBPF programs (xdp, tc-bpf) cannot be exported yet",
			n);
	if (p->image[0] && !(debian && !strcmp(p->image, "debian")))
		return errf(
			e, -EINVAL,
			"node %s: image = %s: the node image 'make image' builds holds the minimal root image%s; %s (Kathará: %s[image]=\"minimal\") to export",
			n, p->image,
			debian ? " and the Debian one only" : " only",
			debian ? "use one of those"
			       : "make it with 'make image IMAGE_DEBIAN=1' and export with --debian for image = debian, or remove image =",
			n);
	if (lab_node_bridged(lab, i))
		return errf(
			e, -EINVAL,
			"node %s: bridged = yes (Kathará: %s[bridged]=true): a link to the host cannot be exported; a pod reaches outside through its pod network, so remove it to export",
			n, n);
	for (int k = 0; k < p->nifaces; k++)
		if (!linked[k])
			return errf(
				e, -EINVAL,
				"node %s: vec%d (transport %s) is not a link of the lab: a pod has only its links to other nodes",
				n, p->ifaces[k].index,
				p->ifaces[k].transport->name);
	return 0;
}

static int export_node(const struct lab *lab, int i, const char *ns,
		       const char *image, bool debian, const char *tests,
		       struct kube_file *f, struct err *e)
{
	const struct lab_node *n = &lab->nodes[i];
	struct cfg_item items[CFG_MAX_ITEMS] = { 0 };
	char(*peers)[80] = NULL;
	struct strbuf prof = { 0 }, tar = { 0 };
	struct profile *p = NULL;
	bool linked[MAX_IFACES] = { false };
	int nitems = 0, npeers = 0, ret, k;
	char kn[KUBE_NAME_MAX + 1];

	peers = calloc(MAX_IFACES, sizeof(*peers));
	p = malloc(sizeof(*p));
	if (!p || !peers) {
		ret = errf(e, -ENOMEM, "out of memory");
		goto out;
	}
	*p = *n->p;
	for (k = 0; k < lab->nlinks; k++) {
		const struct lab_link *l = &lab->links[k];

		for (int j = 0; j < l->neps; j++) {
			const struct lab_endpoint *ep = &l->eps[j];
			const struct lab_endpoint *far = &l->eps[!j];
			struct iface *ifc;
			char fk[KUBE_NAME_MAX + 1];

			if (ep->node != i)
				continue;
			if (l->kind != LINK_SWITCH &&
			    (l->kind != LINK_WIRE || l->neps != 2)) {
				ret = errf_at(
					e, -EINVAL, lab->path, l->line,
					"[link %s]: kind %s: only wires between two nodes and switch segments can be exported to Kubernetes",
					l->name, link_kind_name(l->kind));
				goto out;
			}
			ifc = find_iface(p, ep->vec);
			if (!ifc) {
				ret = errf(
					e, -EINVAL,
					"node %s: vec%d of link %s is missing",
					n->name, ep->vec, l->name);
				goto out;
			}
			linked[ifc - p->ifaces] = true;
			pod_iface(p, ifc, lab, k, j);
			if (l->kind == LINK_SWITCH)
				kube_seg_name(l->name, fk, sizeof(fk));
			else
				kube_name(lab->nodes[far->node].name, fk,
					  sizeof(fk));
			snprintf(peers[npeers++], sizeof(peers[0]), "vec%d=%s",
				 ep->vec, fk);
		}
	}
	ret = check_node(lab, i, linked, debian, e);
	if (ret)
		goto out;
	for (k = 0; k < p->nfiles; k++) {
		char key[32];

		if (in_archive(p->files[k].src)) {
			ret = add_tree(&tar, p->files[k].src, k, n->name, e);
			if (ret)
				goto out;
			snprintf(p->files[k].src, sizeof(p->files[k].src),
				 "%s/%d", KUBE_FILES_DIR, k);
			continue;
		}
		snprintf(key, sizeof(key), "file-%d", k);
		ret = add_file(items, &nitems, key, p->files[k].src, n->name,
			       e);
		if (ret)
			goto out;
		snprintf(p->files[k].src, sizeof(p->files[k].src), "%s/%s",
			 KUBE_CONFIG_DIR, key);
	}
	if (tar.len) {
		tar_end(&tar);
		if (tar.oom) {
			ret = errf(e, -ENOMEM, "out of memory");
			goto out;
		}
		strscpy(items[nitems].key, KUBE_FILES_KEY,
			sizeof(items[nitems].key));
		items[nitems].data = tar.buf;
		items[nitems++].len = tar.len;
		tar.buf = NULL;
		tar.len = 0;
	}
	if (p->ruleset[0]) {
		ret = add_file(items, &nitems, "ruleset.nft", p->ruleset,
			       n->name, e);
		if (ret)
			goto out;
		snprintf(p->ruleset, sizeof(p->ruleset), "%s/ruleset.nft",
			 KUBE_CONFIG_DIR);
	}
	profile_print(p, &prof);
	kube_name(n->name, kn, sizeof(kn));
	snprintf(f->name, sizeof(f->name), "%s.yaml", kn);
	sb_printf(&f->text,
		  "# umnet lab %s, node %s (umnet lab export --kubernetes)\n",
		  lab->name, n->name);
	kube_node_yaml(&f->text, lab, i, ns, image, sb_str(&prof), tests, items,
		       nitems, (const char(*)[80])peers, npeers);
	ret = f->text.oom || prof.oom ? errf(e, -ENOMEM, "out of memory") : 0;
out:
	for (k = 0; k < nitems; k++)
		free(items[k].data);
	sb_free(&tar);
	sb_free(&prof);
	free(peers);
	free(p);
	return ret;
}

/* the first of nodes 0..n-1 whose DNS name is kn, -1: none */
static int node_named(const struct lab *lab, const char *kn, int n)
{
	char other[KUBE_NAME_MAX + 1];

	for (int j = 0; j < n; j++) {
		kube_name(lab->nodes[j].name, other, sizeof(other));
		if (!strcmp(kn, other))
			return j;
	}
	return -1;
}

/* segment li's switch: its Service and Deployment */
static int export_seg(const struct lab *lab, int li, const char *ns,
		      const char *image, struct kube_file *f, struct err *e)
{
	const struct lab_link *l = &lab->links[li];
	char(*peers)[160] = NULL;
	char sn[KUBE_NAME_MAX + 1], kn[KUBE_NAME_MAX + 1];
	int j, port = KUBE_PORT_BASE + li;

	peers = calloc(l->neps, sizeof(*peers));
	if (!peers)
		return errf(e, -ENOMEM, "out of memory");
	for (j = 0; j < l->neps; j++) {
		struct lab_l2tp_ids ids;

		lab_seg_ids(lab->name, l, j, 0, &ids);
		kube_name(lab->nodes[l->eps[j].node].name, kn, sizeof(kn));
		snprintf(
			peers[j], sizeof(peers[j]),
			"%s:%d,rx_session=%u,tx_session=%u,rx_cookie=%u,tx_cookie=%u",
			kn, port, ids.rx_session, ids.tx_session, ids.rx_cookie,
			ids.tx_cookie);
	}
	kube_seg_name(l->name, sn, sizeof(sn));
	snprintf(f->name, sizeof(f->name), "%s.yaml", sn);
	sb_printf(
		&f->text,
		"# umnet lab %s, segment %s (umnet lab export --kubernetes)\n",
		lab->name, l->name);
	kube_seg_yaml(&f->text, lab, li, ns, image, (const char(*)[160])peers,
		      l->neps);
	free(peers);
	return f->text.oom ? errf(e, -ENOMEM, "out of memory") : 0;
}

int kube_export(const struct lab *lab, const struct kube_opts *o,
		struct kube_manifests *m, struct err *e)
{
	int nseg = 0, f;
	char ns[KUBE_NAME_MAX + 1], kn[KUBE_NAME_MAX + 1];
	struct strbuf tests = { 0 };
	const char *image = o && o->image ? o->image : KUBE_IMAGE_DEFAULT;
	int i, j, ret;

	memset(m, 0, sizeof(*m));
	if (o && o->ns) {
		if (!dns_label(o->ns))
			return errf(
				e, -EINVAL,
				"--namespace %s: must be a DNS label (a-z, 0-9, -)",
				o->ns);
		strscpy(ns, o->ns, sizeof(ns));
	} else {
		char ln[LAB_NAME_MAX + 1];

		kube_name(lab->name, ln, sizeof(ln));
		snprintf(ns, sizeof(ns), "umnet-%s", ln);
	}
	if (!image[0] || strpbrk(image, " \t\n\"'\\#"))
		return errf(e, -EINVAL, "--image %s: not an image name", image);
	/* two nodes whose DNS names collide (R1 and r1, a_b and a-b) */
	for (i = 0; i < lab->nnodes; i++) {
		kube_name(lab->nodes[i].name, kn, sizeof(kn));
		j = node_named(lab, kn, i);
		if (j >= 0)
			return errf(
				e, -EINVAL,
				"nodes %s and %s both become %s in Kubernetes (names are lowercase, '_' is '-'): rename one",
				lab->nodes[j].name, lab->nodes[i].name, kn);
	}
	/* a segment's switch, seg-LINK: no node may have its name */
	for (i = 0; i < lab->nlinks; i++) {
		if (lab->links[i].kind != LINK_SWITCH)
			continue;
		nseg++;
		kube_seg_name(lab->links[i].name, kn, sizeof(kn));
		j = node_named(lab, kn, lab->nnodes);
		if (j >= 0)
			return errf(
				e, -EINVAL,
				"node %s and the switch of segment %s both become %s in Kubernetes: rename one",
				lab->nodes[j].name, lab->links[i].name, kn);
	}
	strscpy(m->lab, lab->name, sizeof(m->lab));
	m->files = calloc(lab->nnodes + 1 + nseg, sizeof(*m->files));
	if (!m->files)
		return errf(e, -ENOMEM, "out of memory");
	m->nfiles = lab->nnodes + 1 + nseg;
	strscpy(m->files[0].name, "namespace.yaml", sizeof(m->files[0].name));
	sb_printf(&m->files[0].text,
		  "# umnet lab %s (umnet lab export --kubernetes)\n",
		  lab->name);
	kube_object(&m->files[0].text, "v1", "Namespace", ns, NULL, lab->name,
		    NULL);
	kube_test_lab(lab, &tests);
	for (i = 0; i < lab->nnodes; i++) {
		ret = export_node(lab, i, ns, image, o && o->debian,
				  sb_str(&tests), &m->files[i + 1], e);
		if (ret)
			goto fail;
	}
	for (i = 0, f = lab->nnodes + 1; i < lab->nlinks; i++) {
		if (lab->links[i].kind != LINK_SWITCH)
			continue;
		ret = export_seg(lab, i, ns, image, &m->files[f++], e);
		if (ret)
			goto fail;
	}
	sb_free(&tests);
	return 0;
fail:
	sb_free(&tests);
	kube_manifests_free(m);
	return ret;
}

/* a file an earlier export of lab wrote: its first line says so */
static bool exported_by(const char *path, const char *lab)
{
	char line[256], want[LAB_NAME_MAX + 16];
	FILE *f = fopen(path, "re");
	size_t n;
	bool yes = false;

	if (!f)
		return false;
	n = (size_t)snprintf(want, sizeof(want), "# umnet lab %s", lab);
	if (fgets(line, sizeof(line), f))
		yes = !strncmp(line, want, n) &&
		      (line[n] == ',' || line[n] == ' ') &&
		      strstr(line, " (umnet lab export --kubernetes)\n");
	fclose(f);
	return yes;
}

/* the files of an earlier export of the lab that m no longer has */
static int remove_stale(const struct kube_manifests *m, const char *dir,
			struct strbuf *removed, struct err *e)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);
	int ret = 0, i;

	if (!d)
		return errf(e, -errno, "%s: %m", dir);
	while (!ret && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n < 6 || strcmp(de->d_name + n - 5, ".yaml"))
			continue;
		for (i = 0; i < m->nfiles; i++)
			if (!strcmp(m->files[i].name, de->d_name))
				break;
		if (i < m->nfiles ||
		    path_fmt(path, sizeof(path), "%s/%s", dir, de->d_name) ||
		    !exported_by(path, m->lab))
			continue;
		if (unlink(path) < 0)
			ret = errf(e, -errno, "%s: %m", path);
		else if (removed)
			sb_printf(removed, "%s ", de->d_name);
	}
	closedir(d);
	return ret;
}

int kube_write(const struct kube_manifests *m, const char *dir,
	       struct strbuf *removed, struct err *e)
{
	char path[PATH_MAX];
	int ret, i;

	ret = mkdir_p(dir, 0755);
	if (ret)
		return errf(e, ret, "%s: %s", dir, strerror(-ret));
	for (i = 0; i < m->nfiles; i++) {
		const char *s = sb_str(&m->files[i].text);

		if (snprintf(path, sizeof(path), "%s/%s", dir,
			     m->files[i].name) >= (int)sizeof(path))
			return errf(e, -ENAMETOOLONG, "%s: path too long", dir);
		ret = write_file(path, s, strlen(s), 0644);
		if (ret)
			return errf(e, ret, "%s: %s", path, strerror(-ret));
	}
	return remove_stale(m, dir, removed, e);
}

void kube_manifests_free(struct kube_manifests *m)
{
	if (!m->files)
		return;
	for (int i = 0; i < m->nfiles; i++)
		sb_free(&m->files[i].text);
	free(m->files);
	m->files = NULL;
	m->nfiles = 0;
}
