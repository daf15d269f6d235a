// SPDX-License-Identifier: GPL-2.0
/*
 * umnet lab status [LAB] [--json]: a lab's nodes, links and processes, as
 * text or JSON from the same walk over the lab.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_lab_host.h"
#include "pcapring.h"
#include "labrun.h"
#include "transport.h"

/* s as a JSON string on stdout (util.c's escaping, as everywhere) */
static void json_str(const char *s)
{
	struct strbuf sb = { 0 };

	sb_json_str(&sb, s);
	fputs(sb_str(&sb), stdout);
	sb_free(&sb);
}

static const struct iface *ep_iface(const struct lab *lab,
				    const struct lab_endpoint *ep)
{
	const struct profile *p = lab->nodes[ep->node].p;
	int i;

	for (i = 0; i < p->nifaces; i++)
		if (p->ifaces[i].index == ep->vec)
			return &p->ifaces[i];
	return NULL;
}

/* bridged = yes: its interface (docs/lab.md), after the links' */
static void print_bridged(const struct lab *lab, int node, int k)
{
	const struct profile *p = lab->nodes[node].p;
	char host[IFNAMSIZ], buf[64];
	int i;

	if (!lab_node_bridged(lab, node))
		return;
	lab_bridged_ifname(lab, node, host, sizeof(host));
	for (i = 0; i < p->nifaces; i++)
		if (!strcmp(p->ifaces[i].host_ifname, host) &&
		    p->ifaces[i].naddrs)
			printf("%s vec%d (bridged) %s", k ? "," : "",
			       p->ifaces[i].index,
			       ip_prefix_str(&p->ifaces[i].addrs[0], buf,
					     sizeof(buf)));
}

static void ep_mac(const struct lab *lab, const struct lab_endpoint *ep,
		   char mac[18])
{
	const struct iface *ifc = ep_iface(lab, ep);
	const char *m = profile_ifmac(lab->nodes[ep->node].p, ep->vec);

	if (!m && ifc)
		m = iface_opt(ifc, "mac");

	if (m)
		strscpy(mac, m, 18);
	else
		node_mac(lab->nodes[ep->node].p->name, ep->vec, mac);
}

/*
 * What the equipment needs to know of a gre or l2tpv3 link: the values the
 * node's interface was compiled with (given or derived), as "key value"
 * pairs (text) or JSON members.
 */
static void tunnel_print(const struct lab *lab, const struct lab_link *l,
			 bool json)
{
	static const char *const gre[] = { "src",    "local", "dst", "remote",
					   "rx_key", "key",   NULL };
	static const char *const l2tp[] = {
		"src",	      "local",	       "dst",	     "remote",
		"rx_session", "local_session", "tx_session", "remote_session",
		"rx_cookie",  "local_cookie",  "tx_cookie",  "remote_cookie",
		"srcport",    "local_port",    "dstport",    "remote_port",
		NULL,
	};
	const struct iface *ifc = ep_iface(lab, &l->eps[0]);
	const char *const *k = l->kind == LINK_GRE ? gre : l2tp;

	for (; ifc && *k; k += 2) {
		const char *v = iface_opt(ifc, k[0]);
		char num[24];

		if (!v)
			continue;
		/* numbers as the kernel reads them (0xffff is 65535) */
		if (strcmp(k[0], "src") && strcmp(k[0], "dst")) {
			snprintf(num, sizeof(num), "%llu",
				 iface_num(ifc, k[0]));
			v = num;
		}
		if (json) {
			printf(",\"%s\":", k[1]);
			json_str(v);
		} else {
			printf(" %s %s", k[1], v);
		}
	}
}

/*
 * The links a lab records (capture = yes): the file in use, how many files
 * of the ring there are and their bytes, read from the disk.
 */
static void capture_print(const struct lab *lab, bool json)
{
	struct lab_paths lp;
	bool any = false;
	int j;

	if (lab_paths(lab->name, &lp))
		return;
	for (j = 0; j < lab->nlinks; j++) {
		const struct lab_link *l = &lab->links[j];
		char path[PATH_MAX], f[PATH_MAX];
		unsigned long long bytes = 0;
		unsigned int k, files = 0;
		struct stat st;

		if (!l->capture ||
		    lab_capture_path(lp.dir, l, path, sizeof(path)))
			continue;
		for (k = 0; k < l->capture_files; k++)
			if (!pcap_ring_file(path, k, f, sizeof(f)) &&
			    !stat(f, &st)) {
				files++;
				bytes += st.st_size;
			}
		if (json) {
			printf("%s{\"link\":", any ? "," : "");
			json_str(l->name);
			printf(",\"file\":");
			json_str(path);
			printf(",\"files\":%u,\"bytes\":%llu,\"size_per_file\":%llu,\"files_kept\":%u}",
			       files, bytes, l->capture_size, l->capture_files);
		} else {
			if (!any)
				printf("  %-15s %s\n", "CAPTURE", "FILE");
			printf("  %-15s %s (%u of %u file%s, %.1f MiB; %.0f MiB each)\n",
			       l->name, path, files, l->capture_files,
			       l->capture_files == 1 ? "" : "s",
			       bytes / 1048576.0, l->capture_size / 1048576.0);
		}
		any = true;
	}
}

/*
 * a wire across hosts: its hosts, transport, port and MTU; a segment: its
 * switch's host first, then the first other one, its switch's port
 */
static void across_print(const struct lab *lab, const struct lab_link *l,
			 bool json)
{
	int ha = lab->nodes[l->eps[0].node].host, hb = ha, i;
	const char *a = lab->hosts[ha].name, *b;

	if (!l->cross)
		return;
	for (i = 1; i < l->neps && hb == ha; i++)
		hb = lab->nodes[l->eps[i].node].host;
	b = lab->hosts[hb].name;
	if (json)
		printf(",\"across\":{\"hosts\":[\"%s\",\"%s\"],\"transport\":\"%s\",\"port\":%u,\"mtu\":%u%s%s%s}",
		       a, b, link_kind_name(l->cross_kind), l->port, l->mtu,
		       l->kind == LINK_WIRE ? "" : ",\"switch_host\":\"",
		       l->kind == LINK_WIRE ? "" : a,
		       l->kind == LINK_WIRE ? "" : "\"");
	else if (l->cross_kind == LINK_GRE)
		printf(" across %s-%s gre mtu %u", a, b, l->mtu);
	else
		printf(" across %s-%s l2tpv3 port %u mtu %u%s%s", a, b, l->port,
		       l->mtu, l->kind == LINK_WIRE ? "" : ", switch on host ",
		       l->kind == LINK_WIRE ? "" : a);
}

static int cmd_status_one(const char *arg, bool json, const char *host)
{
	struct lab lab = { 0 };
	struct err e = { "" };
	struct lab_proc *procs = NULL;
	int i, j, nprocs, up = 0, ret, here = 0;
	bool is_up;

	ret = lab_load(arg, &lab, false, &e);
	if (!ret) /* a lab across hosts: whose share (or all, unknown) */
		ret = lab_host_pick(&lab, host, false, &e);
	if (ret) {
		say_fail(ret, &e);
		ret = 1;
		goto out;
	}
	for (i = 0; i < lab.nnodes; i++)
		here += lab_node_here(&lab, i);
	is_up = lab_is_up(lab.name);
	nprocs = lab_procs(lab.name, &procs);
	if (nprocs < 0)
		nprocs = 0;
	for (i = 0; i < lab.nnodes; i++) {
		struct node_paths np;

		if (!node_paths(lab.nodes[i].p->name, &np) &&
		    node_running(&np, NULL))
			up++;
	}
	if (json) {
		printf("{\"name\":");
		json_str(lab.name);
		printf(",\"file\":");
		json_str(lab.path);
		printf(",\"up\":%s,\"nodes_running\":%d",
		       is_up ? "true" : "false", up);
		if (lab.here >= 0)
			printf(",\"host\":\"%s\"", lab.hosts[lab.here].name);
		printf(",\"nodes\":[");
	} else {
		printf("lab %s (%s): %s, %d of %d nodes running", lab.name,
		       lab.path, is_up ? "up" : "not up", up, here);
		if (lab.here >= 0)
			printf("; host %s's share (%d node%s on other hosts)",
			       lab.hosts[lab.here].name, lab.nnodes - here,
			       lab.nnodes - here == 1 ? "" : "s");
		printf("\n");
		printf("  %-15s %-8s %-8s %s\n", "NODE", "STATE", "PID",
		       "INTERFACES");
	}
	for (i = 0; i < lab.nnodes; i++) {
		const struct profile *p = lab.nodes[i].p;
		struct node_paths np;
		pid_t pid = 0;
		bool running =
			!node_paths(p->name, &np) && node_running(&np, &pid);
		const char *state = running			? "running"
				    : access(np.dir, F_OK) == 0 ? "stopped"
								: "down";
		int k;

		if (!lab_node_here(&lab, i)) /* not reached for */
			state = "remote";
		if (json) {
			printf("%s{\"name\":", i ? "," : "");
			json_str(lab.nodes[i].name);
			printf(",\"host_name\":");
			json_str(p->name);
			printf(",\"state\":\"%s\",\"pid\":%d", state,
			       running ? (int)pid : 0);
			if (lab.nhosts)
				printf(",\"host\":\"%s\"",
				       lab.hosts[lab.nodes[i].host].name);
			printf(",\"interfaces\":[");
		} else {
			printf("  %-15s %-8s %-8d", lab.nodes[i].name, state,
			       running ? (int)pid : 0);
		}
		for (j = 0, k = 0; j < lab.nlinks; j++) {
			const struct lab_link *l = &lab.links[j];
			int m;

			for (m = 0; m < l->neps; m++) {
				const struct lab_endpoint *ep = &l->eps[m];
				char mac[18], buf[64];
				int a;

				if (ep->node != i)
					continue;
				ep_mac(&lab, ep, mac);
				if (json) {
					printf("%s{\"vec\":%d,\"link\":",
					       k ? "," : "", ep->vec);
					json_str(l->name);
					printf(",\"mac\":\"%s\",\"addresses\":[",
					       mac);
					for (a = 0; a < ep->naddrs; a++) {
						printf("%s", a ? "," : "");
						json_str(ip_prefix_str(
							&ep->addrs[a], buf,
							sizeof(buf)));
					}
					printf("]}");
				} else {
					printf("%s vec%d %s", k ? "," : "",
					       ep->vec, l->name);
					for (a = 0; a < ep->naddrs; a++)
						printf(" %s",
						       ip_prefix_str(
							       &ep->addrs[a],
							       buf,
							       sizeof(buf)));
				}
				k++;
			}
		}
		if (!json && lab.nhosts)
			printf(" (host %s)", lab.hosts[lab.nodes[i].host].name);
		if (!json)
			print_bridged(&lab, i, k);
		printf(json ? "]}" : "\n");
	}
	if (json)
		printf("],\"links\":[");
	else
		printf("  %-15s %-7s %-5s %s\n", "LINK", "KIND", "STATE",
		       "ENDPOINTS");
	for (j = 0; j < lab.nlinks; j++) {
		const struct lab_link *l = &lab.links[j];
		bool down = lab_link_is_down(lab.name, l->name);
		bool tunnel = l->kind == LINK_GRE || l->kind == LINK_L2TPV3;
		int m;

		if (json) {
			printf("%s{\"name\":", j ? "," : "");
			json_str(l->name);
			printf(",\"kind\":\"%s\",\"state\":\"%s\",\"endpoints\":[",
			       link_kind_name(l->kind), down ? "down" : "up");
		} else {
			printf("  %-15s %-7s %-5s", l->name,
			       link_kind_name(l->kind), down ? "down" : "up");
		}
		for (m = 0; m < l->neps; m++) {
			char ep[64];

			snprintf(ep, sizeof(ep), "%s:vec%d",
				 lab.nodes[l->eps[m].node].name, l->eps[m].vec);
			if (json) {
				printf("%s", m ? "," : "");
				json_str(ep);
			} else {
				printf(" %s", ep);
			}
		}
		printf(json ? "]" : "");
		if (tunnel)
			tunnel_print(&lab, l, json);
		across_print(&lab, l, json);
		printf(json ? "}" : "\n");
	}
	if (json)
		printf("],\"captures\":[");
	capture_print(&lab, json);
	if (json) {
		printf("],\"processes\":[");
		for (i = 0; i < nprocs; i++) {
			printf("%s{\"what\":", i ? "," : "");
			json_str(procs[i].what);
			printf(",\"pid\":%d,\"state\":\"%s\",\"alive\":%s}",
			       (int)procs[i].pid,
			       procs[i].alive ? "alive" : "dead",
			       procs[i].alive ? "true" : "false");
		}
		printf("]}\n");
	} else {
		if (nprocs)
			printf("  %-15s %-8s %s\n", "PROCESS", "STATE", "PID");
		for (i = 0; i < nprocs; i++)
			printf("  %-15s %-8s %d\n", procs[i].what,
			       procs[i].alive ? "alive" : "dead",
			       (int)procs[i].pid);
		for (i = 0; i < nprocs && procs[i].alive; i++)
			;
		if (is_up && (i < nprocs || up < here))
			printf("  ('umnet lab repair %s' brings back what is dead or down)\n",
			       lab.name);
	}
	ret = 0;
out:
	lab_free(&lab);
	free(procs);
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: umnet lab status [LAB] [--json] [--host HOST]\n");
}

int lab_status_main(int argc, char *argv[])
{
	lab_name_t *names = NULL;
	const char *host = NULL;
	bool json = false;
	int i, n, ret;

	if (lab_host_opt(&argc, argv, &host))
		return 2;
	ret = opt_flag(argc, argv, usage, "json", &json, 0, 1);
	if (ret >= 0)
		return ret;
	ret = 0;
	if (optind < argc)
		return cmd_status_one(argv[optind], json, host);
	if (host) {
		say_err("--host goes with one lab: umnet lab status LAB --host HOST");
		return 2;
	}
	n = lab_list(&names);
	if (n < 0) {
		say_failf(n, NULL, "listing labs");
		return 1;
	}
	if (json)
		printf("[");
	for (i = 0; i < n; i++) {
		if (json && i)
			printf(",");
		if (!json && i)
			printf("\n");
		fflush(stdout);
		ret |= cmd_status_one(names[i], json, NULL);
		fflush(stdout);
	}
	if (json)
		printf("]\n");
	else if (!n)
		printf("no labs are up\n");
	free(names);
	return ret;
}
