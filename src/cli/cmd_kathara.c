// SPDX-License-Identifier: GPL-2.0
/* umnet lab convert: a Kathará/Netkit lab directory to a native lab file. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kathara.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet lab convert DIR [--netkit] [--name NAME] -o FILE.lab\n");
}

int lab_convert_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "netkit", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kathara_opts o = { 0 };
	struct strbuf out = { 0 }, warn = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	const char *arg = NULL, *file = NULL;
	char labdir[PATH_MAX], outdir[PATH_MAX], *copy = NULL;
	int i, ret = 1;

	optind = 0;
	while ((i = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (i) {
		case 'o':
			file = optarg;
			break;
		case 'n':
			o.name = optarg;
			break;
		case 'k':
			o.netkit = true;
			break;
		case 'h':
		default:
			return usage_exit(usage, i);
		}
	}
	if (optind != argc - 1 || !file)
		return usage_exit(usage, '?');
	arg = argv[optind];
	if (!kathara_is_lab(arg)) {
		say_err("%s: not a Kathará or Netkit lab (a directory with lab.conf)",
			arg);
		return 1;
	}
	copy = strdup(file);
	if (!copy || !realpath(arg, labdir) ||
	    !realpath(dirname(copy), outdir)) {
		say_err("%s: %s", copy ? file : arg, strerror(errno));
		goto out;
	}
	if (strlen(labdir) > 9 &&
	    !strcmp(labdir + strlen(labdir) - 9, "/lab.conf"))
		labdir[strlen(labdir) - 9] = '\0';
	/* files of the lab: relative when the new file sits in the lab */
	if (strcmp(labdir, outdir))
		o.files_dir = labdir;
	o.default_image = kathara_default_probe();
	kathara_host_nameservers(&o);
	i = kathara_convert(arg, &o, &out, &warn, NULL, NULL, &e);
	if (i) {
		fputs(sb_str(&warn), stderr);
		say_fail(i, &e);
		goto out;
	}
	fputs(sb_str(&warn), stderr);
	/* what lab up would refuse, convert refuses too */
	i = lab_parse(file, sb_str(&out), outdir, &lab, &e);
	if (!i)
		i = lab_compile(&lab, NULL, &e);
	if (i) {
		say_fail(i, &e);
		goto out;
	}
	i = write_file(file, out.buf, out.len, 0644);
	if (i) {
		say_err("%s: %s", file, strerror(-i));
		goto out;
	}
	printf("%s: lab %s, %d node%s, %d link%s\n", file, lab.name, lab.nnodes,
	       lab.nnodes == 1 ? "" : "s", lab.nlinks,
	       lab.nlinks == 1 ? "" : "s");
	ret = 0;
out:
	lab_free(&lab);
	free(copy);
	sb_free(&out);
	sb_free(&warn);
	return ret;
}
