// SPDX-License-Identifier: GPL-2.0
/*
 * Impairment of a running lab's links (labimpair.h): tc inside each
 * endpoint's node through the exec agent. The root qdisc is ours; the
 * clsact qdisc of `lab link down` is another one and stays as it is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "labimpair.h"
#include "labrun.h"

static int state_path(const char *lab_name, const char *link, char *out,
		      size_t len)
{
	return lab_link_file(lab_name, "impair", link, out, len);
}

/* one endpoint: drop what was there, add im's qdiscs */
static int apply_ep(const struct lab *lab, const struct lab_endpoint *ep,
		    const struct impair *im, char *out, size_t outlen)
{
	char dev[16], cmds[2][IMPAIR_CMD_MAX], sh[3 * IMPAIR_CMD_MAX];
	int n, i, status = 0, ret;
	size_t off;

	/* the name inside the node: a Kathará lab's is ethN */
	lab_ep_ifname(lab, ep, dev, sizeof(dev));
	n = impair_tc(im, dev, cmds);
	off = snprintf(sh, sizeof(sh),
		       "{ tc qdisc del dev %s root 2>/dev/null; true", dev);
	for (i = 0; i < n; i++)
		off += snprintf(sh + off, sizeof(sh) - off, " && %s", cmds[i]);
	snprintf(sh + off, sizeof(sh) - off, "; } 2>&1");
	ret = lab_node_sh(lab, ep->node, sh, 10000, &status, out, outlen);
	if (!ret && status)
		ret = -EIO;
	return ret;
}

int lab_link_impair(const struct lab *lab, int link, const struct impair *im,
		    struct err *e)
{
	const struct lab_link *l = &lab->links[link];
	char path[PATH_MAX], out[512], v[32];
	struct strbuf sb = { 0 };
	int i, k, ret, done = 0;

	ret = impair_check(im, out, sizeof(out));
	if (ret)
		return errf(e, ret, "link %s: %s", l->name, out);
	ret = state_path(lab->name, l->name, path, sizeof(path));
	if (ret)
		return errf(e, ret, "link %s: %s", l->name, strerror(-ret));
	for (i = 0; i < l->neps; i++) {
		ret = apply_ep(lab, &l->eps[i], im, out, sizeof(out));
		if (ret == -ESRCH)
			continue; /* down: it gets it when it comes back */
		if (ret) {
			errf(e, ret, "link %s: %s vec%d: %s", l->name,
			     lab->nodes[l->eps[i].node].name, l->eps[i].vec,
			     ret == -EIO ? strtrim(out) : strerror(-ret));
			goto cleanup;
		}
		done++;
	}
	if (lab->pod_steps) /* no lab state in a pod */
		return done ? 0
			    : errf(e, -ESRCH,
				   "link %s: none of its nodes runs here",
				   l->name);
	/* "key = value" lines, as in the lab file; empty: reset */
	sb_puts(&sb, "");
	for (k = 0; k < IMP_NKEYS; k++) {
		impair_value(im, k, v, sizeof(v));
		if (v[0])
			sb_printf(&sb, "%s = %s\n", impair_keys[k], v);
	}
	ret = sb.oom ? -ENOMEM
		     : write_file(path, sb_str(&sb), strlen(sb_str(&sb)), 0600);
	if (ret)
		errf(e, ret, "%s: %s", path, strerror(-ret));
cleanup:
	sb_free(&sb);
	return ret;
}

void lab_link_impair_get(const struct lab *lab, int link, struct impair *im,
			 bool *runtime)
{
	const struct lab_link *l = &lab->links[link];
	char path[PATH_MAX], msg[300], *text = NULL, *line, *save, *k, *v;
	size_t len;

	*runtime = false;
	*im = l->impair;
	if (state_path(lab->name, l->name, path, sizeof(path)) ||
	    read_file(path, &text, &len))
		return;
	*runtime = true;
	memset(im, 0, sizeof(*im));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		k = line;
		v = strstr(line, " = ");
		if (!v)
			continue;
		*v = '\0';
		impair_set(im, k, v + 3, msg, sizeof(msg));
	}
	free(text);
}

void lab_impair_reapply(const struct lab *lab, const bool *booted)
{
	struct impair im;
	bool runtime;
	char out[256];
	int i, j;

	for (i = 0; i < lab->nlinks; i++) {
		lab_link_impair_get(lab, i, &im, &runtime);
		if (!runtime)
			continue; /* the node's profile has the lab's own */
		for (j = 0; j < lab->links[i].neps; j++)
			if (booted[lab->links[i].eps[j].node])
				apply_ep(lab, &lab->links[i].eps[j], &im, out,
					 sizeof(out));
	}
}

int lab_ep_counters(const struct lab *lab, int node, int vec,
		    struct ep_counters *c)
{
	char cmd[512], out[2048], *q, *d;
	int status = 0, ret, n;

	memset(c, 0, sizeof(*c));
	snprintf(
		cmd, sizeof(cmd),
		"cd /sys/class/net/vec%d/statistics && "
		"cat rx_packets tx_packets rx_bytes tx_bytes rx_dropped tx_dropped && "
		"tc -s qdisc show dev vec%d root",
		vec, vec);
	ret = lab_node_sh(lab, node, cmd, 10000, &status, out, sizeof(out));
	if (ret)
		return ret;
	if (status)
		return -EIO;
	n = sscanf(out, "%llu %llu %llu %llu %llu %llu", &c->rx_packets,
		   &c->tx_packets, &c->rx_bytes, &c->tx_bytes, &c->rx_dropped,
		   &c->tx_dropped);
	if (n != 6)
		return -EIO;
	/* "qdisc netem 1: root refcnt 2 limit 1000 delay 25ms\n Sent ..." */
	q = strstr(out, "qdisc ");
	if (q) {
		snprintf(c->qdisc, sizeof(c->qdisc), "%.*s",
			 (int)strcspn(q + 6, "\n"), q + 6);
		d = strstr(q, "(dropped ");
		if (d)
			c->qdisc_drops = strtoull(d + 9, NULL, 10);
	}
	return 0;
}
