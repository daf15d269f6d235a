// SPDX-License-Identifier: GPL-2.0
/* umnet lab graph LAB [-o FILE.dot|FILE.svg]: the lab as a graphviz graph. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "labrun.h"
#include "labimpair.h"
#include "transport.h"

static void dot_print(const struct lab *lab, FILE *f)
{
	char buf[64];
	int i, j;

	fprintf(f,
		"graph \"%s\" {\n\tgraph [label=\"lab %s\", fontsize=12];\n"
		"\tnode [shape=box, style=rounded, fontsize=10];\n"
		"\tedge [fontsize=9];\n",
		lab->name, lab->name);
	for (i = 0; i < lab->nnodes; i++) {
		const struct profile *p = lab->nodes[i].p;

		fprintf(f, "\t\"%s\" [label=\"%s", lab->nodes[i].name,
			lab->nodes[i].name);
		for (j = 0; j < p->nloopbacks; j++)
			fprintf(f, "\\n%s",
				ip_prefix_str(&p->loopbacks[j], buf,
					      sizeof(buf)));
		fprintf(f, "\"];\n");
	}
	/* a lab across hosts: a box per host around its nodes */
	for (i = 0; i < lab->nhosts; i++) {
		fprintf(f,
			"\tsubgraph \"cluster_host_%s\" {\n\t\tlabel=\"host %s\\n%s\";\n",
			lab->hosts[i].name, lab->hosts[i].name,
			ip_addr_str(&lab->hosts[i].addr, buf, sizeof(buf)));
		for (j = 0; j < lab->nnodes; j++)
			if (lab->nodes[j].host == i)
				fprintf(f, "\t\t\"%s\";\n", lab->nodes[j].name);
		fprintf(f, "\t}\n");
	}
	for (i = 0; i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];
		char hub[96], imp[160], sum[128];
		struct impair im;
		bool runtime;

		/* an impaired link says how, in red */
		lab_link_impair_get(lab, i, &im, &runtime);
		impair_summary(&im, sum, sizeof(sum));
		imp[0] = '\0';
		if (sum[0])
			snprintf(imp, sizeof(imp), "\\n%s", sum);
		if (l->kind == LINK_WIRE) {
			/* across hosts: dashed, with its transport */
			hub[0] = '\0';
			if (l->cross)
				snprintf(hub, sizeof(hub), "\\n%s mtu %u",
					 link_kind_name(l->cross_kind), l->mtu);
			fprintf(f,
				"\t\"%s\" -- \"%s\" [label=\"%s%s%s\", taillabel=\"vec%d\", headlabel=\"vec%d\"%s%s];\n",
				lab->nodes[l->eps[0].node].name,
				lab->nodes[l->eps[1].node].name, l->name, hub,
				imp, l->eps[0].vec, l->eps[1].vec,
				sum[0] ? ", color=red, fontcolor=red" : "",
				l->cross ? ", style=dashed" : "");
			continue;
		}
		if (l->kind == LINK_SWITCH) {
			snprintf(hub, sizeof(hub), "switch %s", l->name);
			fprintf(f, "\t\"%s\" [shape=ellipse];\n", hub);
		} else if (l->kind == LINK_NETNS) {
			snprintf(hub, sizeof(hub), "netns %s",
				 lab_kv(l->kvs, l->nkvs, "netns"));
			fprintf(f, "\t\"%s\" [shape=folder];\n", hub);
		} else {
			snprintf(hub, sizeof(hub), "%s %s\\n%s",
				 link_kind_name(l->kind), l->name,
				 lab_kv(l->kvs, l->nkvs, "remote"));
			fprintf(f, "\t\"%s\" [shape=cds];\n", hub);
		}
		for (j = 0; j < l->neps; j++)
			fprintf(f,
				"\t\"%s\" -- \"%s\" [taillabel=\"vec%d\"%s%s%s];\n",
				lab->nodes[l->eps[j].node].name, hub,
				l->eps[j].vec, sum[0] ? ", label=\"" : "", sum,
				sum[0] ? "\", color=red, fontcolor=red" : "");
		if (l->far_node[0])
			fprintf(f,
				"\t\"%s\" -- \"%s\" [style=dashed, label=\"far end\"];\n",
				hub, l->far_node);
	}
	fprintf(f, "}\n");
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: umnet lab graph LAB [-o FILE.dot|FILE.svg]\n");
}

int lab_graph_main(int argc, char *argv[])
{
	struct lab lab = { 0 };
	struct err e = { "" };
	const char *out = NULL;
	FILE *f = stdout;
	int c, ret = opt_value(argc, argv, usage, "o", &out, 1, 1);

	if (ret >= 0)
		return ret;
	ret = 1;
	c = lab_load(argv[optind], &lab, false, &e);
	if (c) {
		say_fail(c, &e);
		goto out;
	}
	if (out && strlen(out) > 4 && !strcmp(out + strlen(out) - 4, ".svg")) {
		struct strbuf cmd = { 0 };
		int st;

		if (system("command -v dot >/dev/null 2>&1")) {
			say_err("-o %s: SVG needs graphviz's dot (apt-get install graphviz); '-o FILE.dot' writes DOT",
				out);
			goto out;
		}
		/* the file name quoted for the shell popen runs */
		sb_puts(&cmd, "dot -Tsvg -o ");
		sb_shquote(&cmd, out);
		f = cmd.oom ? NULL : popen(sb_str(&cmd), "w");
		sb_free(&cmd);
		if (!f) {
			say_err("dot: %m");
			goto out;
		}
		dot_print(&lab, f);
		st = pclose(f);
		f = NULL;
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			say_err("dot failed writing %s", out);
			goto out;
		}
	} else {
		if (out && !(f = fopen(out, "we"))) {
			say_err("%s: %s", out, strerror(errno));
			goto out;
		}
		dot_print(&lab, f);
		if (out && fclose(f)) {
			say_err("%s: %s", out, strerror(errno));
			goto out;
		}
	}
	ret = 0;
out:
	lab_free(&lab);
	return ret;
}
