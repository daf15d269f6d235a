// SPDX-License-Identifier: GPL-2.0
/*
 * umnet lab test LAB [--junit FILE]: run a lab's [test] section (labtest.c)
 * and report each check, optionally as JUnit XML.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_lab_host.h"
#include "cmd_kube.h"
#include "labrun.h"
#include "labtest.h"

static void xml_str(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n')
				fputc(*s, f);
		}
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet lab test LAB [--junit FILE] [--host HOST]\n"
		"       umnet lab test LAB --engine podman|kubectl [--namespace NS]\n");
}

int lab_test_main(int argc, char *argv[])
{
	struct lab lab = { 0 };
	struct err e = { "" };
	const char *junit = NULL, *arg;
	char(*seen)[600] = NULL;
	int *res = NULL;
	long long *ms = NULL, t0 = now_ms();
	int i, pass = 0, fail = 0, other = 0;
	const char *host = NULL;
	int ret;

	/* an exported lab's tests, run in its pods (scale.md) */
	for (i = 1; i < argc; i++)
		if (!strncmp(argv[i], "--engine", 8))
			return lab_test_engine_main(argc, argv);
	if (lab_host_opt(&argc, argv, &host))
		return 2;
	ret = opt_value(argc, argv, usage, "junit", &junit, 1, 1);
	if (ret >= 0)
		return ret;
	ret = 1;
	arg = argv[optind];
	i = lab_load(arg, &lab, false, &e);
	if (i) {
		say_fail(i, &e);
		goto out;
	}
	/* a lab across hosts: the tests whose node runs in this share */
	if (lab_host_use(&lab, host, true))
		goto out;
	if (!lab_is_up(lab.name)) {
		say_err("lab %s is not up: 'umnet lab up %s' first", lab.name,
			arg);
		goto out;
	}
	if (!lab.ntests) {
		say_err("lab %s has no [test] section", lab.name);
		goto out;
	}
	seen = calloc(lab.ntests, sizeof(*seen));
	res = calloc(lab.ntests, sizeof(*res));
	ms = calloc(lab.ntests, sizeof(*ms));
	if (!seen || !res || !ms)
		goto out;
	for (i = 0; i < lab.ntests; i++) {
		const struct lab_test *t = &lab.tests[i];
		bool step = lab_test_is_step(t->kind);

		if (!lab_test_here(&lab, t)) {
			printf("SKIP: %-62s [host %s]\n", t->text,
			       lab_test_host(&lab, t));
			res[i] = -EREMOTE;
			other++;
			continue;
		}
		res[i] =
			lab_test_run(&lab, i, seen[i], sizeof(seen[i]), &ms[i]);
		if (step) {
			printf("STEP: %-62s %s\n", t->text,
			       res[i] == 1 ? "done" : "FAILED");
			if (res[i] != 1) {
				printf("    %s\n", seen[i]);
				fail++;
			}
		} else {
			printf("TEST: %-62s [%s]\n", t->text,
			       res[i] == 1 ? " OK " : "FAIL");
			if (res[i] == 1) {
				pass++;
			} else {
				fail++;
				printf("    %s:%d: saw: %s\n", t->file, t->line,
				       seen[i]);
			}
		}
		fflush(stdout);
	}
	printf("lab %s: %d passed, %d failed", lab.name, pass, fail);
	if (other)
		printf(", %d on other hosts", other);
	printf(" in %.1f s\n", (now_ms() - t0) / 1000.0);
	if (junit) {
		FILE *f = fopen(junit, "we");

		if (!f) {
			say_err("--junit %s: %s", junit, strerror(errno));
			goto out;
		}
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<testsuites>\n<testsuite name=\"");
		xml_str(f, lab.name);
		fprintf(f, "\" tests=\"%d\" failures=\"%d\" time=\"%.3f\">\n",
			pass + fail, fail, (now_ms() - t0) / 1000.0);
		for (i = 0; i < lab.ntests; i++) {
			fprintf(f, "  <testcase classname=\"umnet.lab.");
			xml_str(f, lab.name);
			fprintf(f, "\" name=\"");
			xml_str(f, lab.tests[i].text);
			fprintf(f, "\" time=\"%.3f\">", ms[i] / 1000.0);
			if (res[i] == -EREMOTE) {
				fprintf(f,
					"<skipped message=\"its node runs on another host\"/>");
			} else if (res[i] != 1) {
				fprintf(f, "\n    <failure message=\"");
				xml_str(f, seen[i]);
				fprintf(f, "\">%s:%d</failure>\n  ",
					lab.tests[i].file, lab.tests[i].line);
			}
			fprintf(f, "</testcase>\n");
		}
		fprintf(f, "</testsuite>\n</testsuites>\n");
		if (fclose(f)) {
			say_err("--junit %s: %s", junit, strerror(errno));
			goto out;
		}
	}
	ret = fail ? 1 : 0;
out:
	free(seen);
	free(res);
	free(ms);
	lab_free(&lab);
	return ret;
}
