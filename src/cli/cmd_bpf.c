// SPDX-License-Identifier: GPL-2.0
/*
 * umnet bpf compile [--mac MAC] EXPR -o FILE: a pcap expression as the
 * classic BPF file the kernel's bpffile= option loads.
 * umnet bpf dump [--raw] FILE: such a file as a readable listing.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "cli.h"

#define USAGE                                                                \
	"Usage: umnet bpf compile [--mac MAC] EXPRESSION -o FILE\n"          \
	"       umnet bpf dump [--raw] FILE\n"                               \
	"\n"                                                                 \
	"compile: EXPRESSION in pcap-filter(7) syntax, as a bpffile (the\n"  \
	"  frames it accepts are the frames the node receives). --mac MAC\n" \
	"  also drops frames from MAC, the node's own (what a filter =\n"    \
	"  key does, and what the kernel's default filter does).\n"          \
	"dump: the instructions of a bpffile, like tcpdump -d (--raw: -dd).\n"

static void usage(FILE *f)
{
	fputs(USAGE, f);
}

static int bpf_compile_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "mac", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cbpf_prog prog = { 0 };
	const char *out = NULL, *mac = NULL;
	struct strbuf expr = { 0 };
	struct err e = { "" };
	int c, i, ret = 1;

	optind = 0;
	while ((c = getopt_long(argc, argv, "o:m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'm':
			mac = optarg;
			break;
		case 'h':
		default:
			return usage_exit(usage, c);
		}
	}
	if (!out || optind >= argc)
		return usage_exit(usage, '?');
	/* like tcpdump: the expression may come as several words */
	for (i = optind; i < argc; i++)
		sb_printf(&expr, "%s%s", i > optind ? " " : "", argv[i]);
	if (expr.oom) {
		say_err("out of memory");
		goto out;
	}
	c = mac ? cbpf_compile_node(sb_str(&expr), mac, &prog, &e)
		: cbpf_compile(sb_str(&expr), &prog, &e);
	if (c) {
		say_failf(c, &e, "bad filter expression \"%s\"", sb_str(&expr));
		goto out;
	}
	c = cbpf_write(out, &prog, &e);
	if (c) {
		say_fail(c, &e);
		goto out;
	}
	printf("%s: %u instructions (%zu bytes)\n", out, prog.len,
	       prog.len * sizeof(*prog.insns));
	ret = 0;
out:
	cbpf_free(&prog);
	sb_free(&expr);
	return ret;
}

static int bpf_dump_main(int argc, char *argv[])
{
	struct cbpf_prog prog = { 0 };
	struct strbuf sb = { 0 };
	bool raw = false;
	struct err e = { "" };
	int c, ret = opt_flag(argc, argv, usage, "raw", &raw, 1, 1);

	if (ret >= 0)
		return ret;
	ret = 1;
	c = cbpf_read(argv[optind], &prog, &e);
	if (c) {
		say_fail(c, &e);
		goto out;
	}
	if (raw)
		cbpf_dump_raw(&prog, &sb);
	else
		cbpf_dump(&prog, &sb);
	fputs(sb_str(&sb), stdout);
	ret = 0;
out:
	sb_free(&sb);
	cbpf_free(&prog);
	return ret;
}

int bpf_main(int argc, char *argv[])
{
	static const struct cli_cmd cmds[] = {
		{ "compile", bpf_compile_main, NULL },
		{ "dump", bpf_dump_main, NULL },
	};

	return cli_dispatch(cmds, ARRAY_SIZE(cmds), "umnet bpf", usage, argc,
			    argv);
}
