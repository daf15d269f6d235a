// SPDX-License-Identifier: GPL-2.0
/* umnet status [NAME] [--json]: what runs, from each node's state dir. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "nodejail.h"
#include "profile.h"
#include "switch.h"
#include "transport.h"

struct node_status {
	char name[NODE_NAME_MAX + 1];
	const char *state; /* running, stopped */
	pid_t pid;
	long long started;
	struct profile p;
	bool have_profile;
	struct node_jail_info jail;
};

static void load(const char *name, struct node_status *s)
{
	struct node_paths np;
	struct err e;
	char *info = NULL, *p;

	strscpy(s->name, name, sizeof(s->name));
	s->state = "unknown";
	if (node_paths(name, &np))
		return;
	s->state = node_running(&np, &s->pid) ? "running" : "stopped";
	if (!read_file(np.info, &info, NULL)) {
		p = strstr(info, "started ");
		if (p)
			s->started = atoll(p + 8);
		free(info);
	}
	s->have_profile = !profile_parse(np.profile, &s->p, &e);
	node_jail_info(&np, &s->jail);
}

/* "jail": how the node is confined (docs/security.md) */
static void json_jail(struct strbuf *sb, const struct node_jail_info *ji)
{
	const struct cgroup *cg = &ji->cg;
	unsigned long long mem = 0;
	int i;

	if (!ji->have) {
		sb_puts(sb, ", \"jail\": null");
		return;
	}
	sb_printf(sb,
		  ", \"jail\": {\"uid\": %u, \"gid\": %u, \"capabilities\": [",
		  ji->uid, ji->gid);
	if (ji->caps[0])
		sb_json_str(sb, ji->caps);
	sb_printf(sb, "], \"mount_namespace\": %s, \"cgroup\": {\"kind\": ",
		  ji->mount_ns ? "true" : "false");
	sb_json_str(sb, cgroup_kind_name(cg->kind));
	sb_puts(sb, ", \"paths\": [");
	for (i = 0; cg->kind != CGROUP_NONE && i < cg->ndirs; i++) {
		sb_puts(sb, i ? ", " : "");
		sb_json_str(sb, cg->dir[i].path);
	}
	sb_printf(sb, "], \"memory_max\": %llu, \"pids_max\": %llu",
		  cg->mem_max, cg->pids_max);
	if (cg->kind != CGROUP_NONE && !cgroup_memory(cg, &mem))
		sb_printf(sb, ", \"memory_current\": %llu", mem);
	sb_puts(sb, "}}");
}

static void print_human(struct node_status *st, int n)
{
	char buf[64];
	int i, j, k;

	if (!n) {
		printf("no nodes\n");
		return;
	}
	printf("%-16s %-8s %8s %6s %8s  %s\n", "NAME", "STATE", "PID", "MEM",
	       "UPTIME", "INTERFACES");
	for (i = 0; i < n; i++) {
		struct node_status *s = &st[i];
		long long up = s->started ? time(NULL) - s->started : 0;
		char mem[24] = "-", upt[40] = "-";

		if (s->have_profile)
			snprintf(mem, sizeof(mem), "%luM", s->p.mem_mb);
		if (!strcmp(s->state, "running"))
			snprintf(upt, sizeof(upt), "%lld:%02lld:%02lld",
				 up / 3600, up / 60 % 60, up % 60);
		printf("%-16s %-8s %8d %6s %8s ", s->name, s->state,
		       (int)s->pid, mem, upt);
		for (j = 0; s->have_profile && j < s->p.nifaces; j++) {
			const struct iface *ifc = &s->p.ifaces[j];
			const char *ifn = iface_opt(ifc, "ifname");

			printf(" vec%d=%s%s%s", ifc->index,
			       ifc->transport->name, ifn ? ":" : "",
			       ifn ? ifn : "");
			for (k = 0; k < ifc->naddrs; k++)
				printf("%s%s", k ? "," : "(",
				       ip_prefix_str(&ifc->addrs[k], buf,
						     sizeof(buf)));
			if (ifc->naddrs)
				printf(")");
		}
		printf("\n");
	}
}

static void print_json(struct node_status *st, int n)
{
	struct strbuf sb = { 0 };
	char buf[64];
	int i, j, k;

	sb_puts(&sb, "[");
	for (i = 0; i < n; i++) {
		struct node_status *s = &st[i];

		sb_printf(&sb, "%s\n  {\"name\": ", i ? "," : "");
		sb_json_str(&sb, s->name);
		sb_printf(&sb, ", \"state\": \"%s\", \"pid\": %d", s->state,
			  (int)s->pid);
		sb_printf(&sb, ", \"started\": %lld", s->started);
		json_jail(&sb, &s->jail);
		if (s->have_profile) {
			sb_printf(&sb, ", \"mem_mb\": %lu, \"forwarding\": %s",
				  s->p.mem_mb,
				  s->p.forwarding ? "true" : "false");
			sb_puts(&sb, ", \"interfaces\": [");
			for (j = 0; j < s->p.nifaces; j++) {
				const struct iface *ifc = &s->p.ifaces[j];

				sb_printf(
					&sb,
					"%s{\"name\": \"vec%d\", \"transport\": \"%s\", \"host\": \"%s\", \"options\": {",
					j ? ", " : "", ifc->index,
					ifc->transport->name,
					host_kind_name(ifc->host));
				for (k = 0; k < ifc->nopts; k++) {
					sb_printf(&sb, "%s", k ? ", " : "");
					sb_json_str(&sb, ifc->opts[k].key);
					sb_puts(&sb, ": ");
					sb_json_str(&sb, ifc->opts[k].value);
				}
				sb_puts(&sb, "}, \"addresses\": [");
				for (k = 0; k < ifc->naddrs; k++) {
					sb_printf(&sb, "%s", k ? ", " : "");
					sb_json_str(&sb,
						    ip_prefix_str(
							    &ifc->addrs[k], buf,
							    sizeof(buf)));
				}
				sb_puts(&sb, "]}");
			}
			sb_puts(&sb, "]");
		}
		sb_puts(&sb, "}");
	}
	sb_puts(&sb, n ? "\n]\n" : "]\n");
	fputs(sb_str(&sb), stdout);
	sb_free(&sb);
}

/* the switches the running nodes' bess links connect to, once each */
static void print_switches(struct node_status *st, int n)
{
	struct switch_status *sw = NULL;
	const char *seen[64];
	int nseen = 0, i, j, k, r;
	struct err e = { "" };

	for (i = 0; i < n; i++) {
		if (!st[i].have_profile || strcmp(st[i].state, "running"))
			continue;
		for (j = 0; j < st[i].p.nifaces; j++) {
			const struct iface *ifc = &st[i].p.ifaces[j];
			const char *dst = iface_opt(ifc, "dst");

			if (strcmp(ifc->transport->name, "bess") || !dst)
				continue;
			for (k = 0; k < nseen && strcmp(seen[k], dst); k++)
				;
			if (k < nseen || nseen == (int)ARRAY_SIZE(seen))
				continue;
			seen[nseen++] = dst;
			if (!sw)
				sw = malloc(sizeof(*sw));
			if (!sw)
				return;
			printf("\n");
			r = switch_status_fetch(dst, sw, &e);
			if (r)
				printf("switch %s: %s\n", dst,
				       fail_text(r, &e));
			else
				switch_print_text(sw, dst);
		}
	}
	free(sw);
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: umnet status [NAME] [--json]\n");
}

int status_main(int argc, char *argv[])
{
	node_name_t *names = NULL;
	struct node_status *st = NULL;
	const char *only = NULL;
	bool json = false;
	struct node_paths np;
	int i, n, ret = opt_flag(argc, argv, usage, "json", &json, 0, 1);

	if (ret >= 0)
		return ret;
	ret = 0;
	if (optind < argc)
		only = argv[optind];
	if (only) {
		if (node_lookup(only, &np, false))
			return 1;
		names = calloc(1, sizeof(*names));
		if (!names) {
			say_err("out of memory");
			return 1;
		}
		strscpy(names[0], only, sizeof(names[0]));
		n = 1;
	} else {
		n = node_list(&names);
		if (n < 0) {
			say_failf(n, NULL, "listing nodes");
			return 1;
		}
	}
	st = calloc(n ? n : 1, sizeof(*st));
	if (!st) {
		say_err("out of memory");
		return 1;
	}
	for (i = 0; i < n; i++)
		load(names[i], &st[i]);
	if (json) {
		print_json(st, n);
	} else {
		print_human(st, n);
		print_switches(st, n);
	}
	if (only && strcmp(st[0].state, "running"))
		ret = 1;
	free(st);
	free(names);
	return ret;
}
