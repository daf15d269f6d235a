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
	struct err e;
	int c, i, ret = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'm':
			mac = optarg;
			break;
		case 'h':
			fputs(USAGE, stdout);
			return 0;
		default:
			fputs(USAGE, stderr);
			return 2;
		}
	}
	if (!out || optind >= argc) {
		fputs(USAGE, stderr);
		return 2;
	}
	/* like tcpdump: the expression may come as several words */
	for (i = optind; i < argc; i++)
		sb_printf(&expr, "%s%s", i > optind ? " " : "", argv[i]);
	if (expr.oom) {
		say_err("out of memory");
		goto out;
	}
	if (mac ? cbpf_compile_node(sb_str(&expr), mac, &prog, &e)
		: cbpf_compile(sb_str(&expr), &prog, &e)) {
		say_err("bad filter expression \"%s\": %s", sb_str(&expr),
			e.msg);
		goto out;
	}
	if (cbpf_write(out, &prog, &e)) {
		say_err("%s", e.msg);
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
	const char *path = NULL;
	bool raw = false;
	struct err e;
	int i, ret = 1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--raw"))
			raw = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(USAGE, stdout);
			return 0;
		} else if (!path && argv[i][0] != '-')
			path = argv[i];
		else {
			fputs(USAGE, stderr);
			return 2;
		}
	}
	if (!path) {
		fputs(USAGE, stderr);
		return 2;
	}
	if (cbpf_read(path, &prog, &e)) {
		say_err("%s", e.msg);
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
	if (argc >= 2 && !strcmp(argv[1], "compile"))
		return bpf_compile_main(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "dump"))
		return bpf_dump_main(argc - 1, argv + 1);
	if (argc == 2 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(USAGE, stdout);
		return 0;
	}
	fputs(USAGE, stderr);
	return 2;
}
