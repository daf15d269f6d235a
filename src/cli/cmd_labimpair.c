// SPDX-License-Identifier: GPL-2.0
/*
 * umnet lab link down|up|set|reset|show: cut a running lab's links, and
 * impair them (docs/impairment.md). labimpair.c does the work; this only reads
 * arguments and prints.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "labimpair.h"
#include "labrun.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet lab link down|up LAB LINK\n"
		"       umnet lab link set LAB LINK [--delay D] [--jitter J] [--loss P]\n"
		"                          [--rate R] [--corrupt P] [--duplicate P] [--reorder P]\n"
		"       umnet lab link reset LAB LINK\n"
		"       umnet lab link show LAB [LINK] [--json]\n"
		"D, J: durations (20ms, 500us); P: percent (1%%, 0.5); R: 10mbit, 500kbit, 1gbit\n");
}

static void json_str(struct strbuf *sb, const char *s)
{
	sb_json_str(sb, s);
}

static int load_up(const char *arg, struct lab *lab);
static int find_link(const struct lab *lab, const char *name);

/* LAB LINK after the options, the link's index into *l */
static int load_link(char *argv[], struct lab *lab, int *l)
{
	if (load_up(argv[optind], lab))
		return -1;
	*l = find_link(lab, argv[optind + 1]);
	return *l < 0 ? -1 : 0;
}

static int load_up(const char *arg, struct lab *lab)
{
	struct err e = { "" };
	int ret = lab_load(arg, lab, false, &e);

	if (ret) {
		say_fail(ret, &e);
		return -1;
	}
	if (!lab_is_up(lab->name)) {
		say_err("lab %s is not up", lab->name);
		return -1;
	}
	return 0;
}

static int find_link(const struct lab *lab, const char *name)
{
	int l = lab_link_find(lab, name);

	if (l < 0)
		say_err("lab %s has no link %s (see 'umnet lab status %s')",
			lab->name, name, lab->name);
	return l;
}

/* --KEY VALUE for each impairment key (impair.h's table), --help */
static void impair_opts(struct option *o)
{
	int k;

	for (k = 0; k < IMP_NKEYS; k++)
		o[k] = (struct option){ impair_keys[k], required_argument, NULL,
					256 + k };
	o[k++] = (struct option){ "help", no_argument, NULL, 'h' };
	o[k] = (struct option){ NULL, 0, NULL, 0 };
}

/* impair_set's "delay = 20x: not a duration ..." as an option's error */
static void bad_value(const char *key, const char *v, const char *msg)
{
	char opt[32], prefix[128];
	size_t n;

	snprintf(opt, sizeof(opt), "--%s", key);
	n = snprintf(prefix, sizeof(prefix), "%s = %s: ", key, v);
	if (n < sizeof(prefix) && !strncmp(msg, prefix, n))
		msg += n;
	opt_bad(opt, v, ": %s", msg);
}

static int cmd_set(int argc, char *argv[], bool reset)
{
	struct option opts[IMP_NKEYS + 2];
	struct impair im = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	char msg[300], sum[256];
	int c, l, ret = 1;

	impair_opts(opts);
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c < 256 || reset)
			return usage_exit(usage, c);
		if (impair_set(&im, impair_keys[c - 256], optarg, msg,
			       sizeof(msg))) {
			bad_value(impair_keys[c - 256], optarg, msg);
			return 2;
		}
	}
	if (argc - optind != 2)
		return usage_exit(usage, '?');
	if (!reset && !impair_any(&im)) {
		say_err("link set: nothing to set (use 'umnet lab link reset' to remove an impairment)");
		return 2;
	}
	if (impair_check(&im, msg, sizeof(msg))) {
		say_err("link set: %s", msg);
		return 2;
	}
	if (load_link(argv, &lab, &l))
		goto out;
	c = lab_link_impair(&lab, l, &im, &e);
	if (c) {
		say_fail(c, &e);
		goto out;
	}
	impair_summary(&im, sum, sizeof(sum));
	printf("lab %s: link %s: %s\n", lab.name, lab.links[l].name,
	       sum[0] ? sum : "no impairment");
	ret = 0;
out:
	lab_free(&lab);
	return ret;
}

/* down|up LAB LINK: cut a link or join it again */
static int cmd_updown(int argc, char *argv[], bool down)
{
	struct lab lab = { 0 };
	struct err e = { "" };
	int c, l, ret = opt_flag(argc, argv, usage, NULL, NULL, 2, 2);

	if (ret >= 0)
		return ret;
	ret = 1;
	if (load_link(argv, &lab, &l))
		goto out;
	c = lab_link_set(&lab, l, down, &e);
	if (c) {
		say_fail(c, &e);
		goto out;
	}
	printf("lab %s: link %s %s\n", lab.name, lab.links[l].name,
	       down ? "down" : "up");
	ret = 0;
out:
	lab_free(&lab);
	return ret;
}

static void show_link(const struct lab *lab, int l, bool json, bool first,
		      struct strbuf *sb)
{
	const struct lab_link *lk = &lab->links[l];
	struct ep_counters c;
	struct impair im;
	bool runtime;
	char sum[256], v[32];
	int i, k, ret;

	lab_link_impair_get(lab, l, &im, &runtime);
	impair_summary(&im, sum, sizeof(sum));
	if (json) {
		sb_printf(sb, "%s{\"name\":", first ? "" : ",");
		json_str(sb, lk->name);
		sb_printf(sb, ",\"kind\":\"%s\",\"impairment\":{",
			  link_kind_name(lk->kind));
		for (k = 0, first = true; k < IMP_NKEYS; k++) {
			impair_value(&im, k, v, sizeof(v));
			if (!v[0])
				continue;
			sb_printf(sb, "%s\"%s\":\"%s\"", first ? "" : ",",
				  impair_keys[k], v);
			first = false;
		}
		sb_printf(sb, "},\"source\":\"%s\",\"endpoints\":[",
			  runtime	    ? "link set"
			  : impair_any(&im) ? "lab file"
					    : "none");
	} else {
		sb_printf(sb, "link %s (%s): %s%s\n", lk->name,
			  link_kind_name(lk->kind),
			  sum[0] ? sum : "no impairment",
			  runtime	    ? " (lab link set)"
			  : impair_any(&im) ? " (lab file)"
					    : "");
	}
	for (i = 0; i < lk->neps; i++) {
		const struct lab_endpoint *ep = &lk->eps[i];
		const char *node = lab->nodes[ep->node].name;

		ret = lab_ep_counters(lab, ep->node, ep->vec, &c);
		if (json) {
			sb_printf(sb, "%s{\"node\":", i ? "," : "");
			json_str(sb, node);
			sb_printf(sb, ",\"interface\":\"vec%d\",\"running\":%s",
				  ep->vec, ret == -ESRCH ? "false" : "true");
			if (!ret) {
				sb_printf(
					sb,
					",\"rx_packets\":%llu,\"tx_packets\":%llu,\"rx_bytes\":%llu,\"tx_bytes\":%llu,\"rx_dropped\":%llu,\"tx_dropped\":%llu,\"qdisc_drops\":%llu,\"qdisc\":",
					c.rx_packets, c.tx_packets, c.rx_bytes,
					c.tx_bytes, c.rx_dropped, c.tx_dropped,
					c.qdisc_drops);
				json_str(sb, c.qdisc);
			} else if (ret != -ESRCH) {
				sb_printf(sb, ",\"error\":");
				json_str(sb, strerror(-ret));
			}
			sb_printf(sb, "}");
			continue;
		}
		if (ret == -ESRCH) {
			sb_printf(sb, "  %-15s vec%-2d not running\n", node,
				  ep->vec);
			continue;
		}
		if (ret) {
			sb_printf(sb, "  %-15s vec%-2d counters: %s\n", node,
				  ep->vec, strerror(-ret));
			continue;
		}
		sb_printf(
			sb,
			"  %-15s vec%-2d rx %llu packets %llu bytes, tx %llu packets %llu bytes, dropped rx %llu tx %llu qdisc %llu\n",
			node, ep->vec, c.rx_packets, c.rx_bytes, c.tx_packets,
			c.tx_bytes, c.rx_dropped, c.tx_dropped, c.qdisc_drops);
	}
	if (json)
		sb_printf(sb, "]}");
}

static int cmd_show(int argc, char *argv[])
{
	const char *arg, *link = NULL;
	struct strbuf sb = { 0 };
	struct lab lab = { 0 };
	bool json = false;
	int i, l = -1, ret = opt_flag(argc, argv, usage, "json", &json, 1, 2);

	if (ret >= 0)
		return ret;
	ret = 1;
	arg = argv[optind];
	if (argc - optind == 2)
		link = argv[optind + 1];
	if (load_up(arg, &lab))
		goto out;
	if (link) {
		l = find_link(&lab, link);
		if (l < 0)
			goto out;
	}
	if (json) {
		sb_printf(&sb, "{\"lab\":");
		json_str(&sb, lab.name);
		sb_printf(&sb, ",\"links\":[");
	}
	for (i = 0; i < lab.nlinks; i++)
		if (l < 0 || i == l)
			show_link(&lab, i, json, l >= 0 || i == 0, &sb);
	if (json)
		sb_printf(&sb, "]}\n");
	fputs(sb_str(&sb), stdout);
	ret = sb.oom ? 1 : 0;
out:
	sb_free(&sb);
	lab_free(&lab);
	return ret;
}

/* argv[0] = "link", argv[1] = down|up|set|reset|show */
int lab_link_main(int argc, char *argv[])
{
	const char *sub = argc >= 2 ? argv[1] : "";
	static char prog[32];

	/* getopt's own messages then say "umnet lab link set: ..." */
	snprintf(prog, sizeof(prog), "umnet lab link %.8s", sub);
	if (argc >= 2)
		argv[1] = prog;
	if (!strcmp(sub, "down") || !strcmp(sub, "up"))
		return cmd_updown(argc - 1, argv + 1, !strcmp(sub, "down"));
	if (!strcmp(sub, "set") || !strcmp(sub, "reset"))
		return cmd_set(argc - 1, argv + 1, !strcmp(sub, "reset"));
	if (!strcmp(sub, "show"))
		return cmd_show(argc - 1, argv + 1);
	return usage_exit(usage, !strcmp(sub, "-h") || !strcmp(sub, "--help")
					 ? 'h'
					 : '?');
}
