/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kathará and Netkit lab directories (docs/kathara.md): lab.conf (and
 * lab.dep) read into the text of an equivalent native lab (docs/lab.md),
 * which lab_parse() then reads like any other lab.
 */
#ifndef UMNET_KATHARA_H
#define UMNET_KATHARA_H

#include <stdbool.h>

#include "lab.h"
#include "util.h"

/*
 * What devices without image= run. Kathará's default (kathara/base) and the
 * filesystem Netkit shipped are Debian userlands: umnet's Debian image when
 * it is here. The converter does not look: kathara_default_probe() does.
 */
enum kathara_default {
	KATHARA_DEFAULT_PROBE, /* not said: lab_load_opts() looks with
				  kathara_default_probe(); the converter
				  takes it as _ABSENT */
	KATHARA_DEFAULT_ABSENT, /* no Debian image here: the minimal image,
				   with a warning at the first such device */
	KATHARA_DEFAULT_DEBIAN, /* image = debian */
	KATHARA_DEFAULT_MINIMAL, /* the minimal image, no warning (lab
				    export: the only one its OCI image has) */
};

#define KATHARA_NS_MAX 3 /* what the resolver reads */
#define KATHARA_NS_LEN 46 /* INET6_ADDRSTRLEN */

struct kathara_opts {
	const char *name; /* --name, NULL: LAB_NAME, else the directory's */
	bool netkit; /* --netkit: the Netkit dialect, else detected */
	const char *files_dir; /* how native `file` lines name the lab dir:
				  NULL = relative (the lab is parsed with
				  dir = the Kathará directory) */
	enum kathara_default default_image;
	struct strbuf *warn; /* kathara_lab_parse's warnings are appended
				here (NULL: dropped) */
	/* bridged=true devices resolve with these, as Kathará's (Docker's)
	 * resolve with the host's: kathara_host_nameservers() */
	char nameservers[KATHARA_NS_MAX][KATHARA_NS_LEN];
	int nnameservers;
};

/*
 * The nameservers of a resolv.conf's text that a bridged node can reach
 * (loopback ones are the host's own: skipped), at most KATHARA_NS_MAX, into
 * o; kathara_host_nameservers() reads /etc/resolv.conf.
 */
void kathara_resolv_parse(const char *text, struct kathara_opts *o);
void kathara_host_nameservers(struct kathara_opts *o);

/* KATHARA_DEFAULT_DEBIAN if umnet's Debian image is here, else _ABSENT */
enum kathara_default kathara_default_probe(void);

/* a directory holding lab.conf, or a file named lab.conf */
bool kathara_is_lab(const char *arg);

/*
 * Convert the lab at arg (directory or its lab.conf) into a native lab's
 * text in out. Warnings (one per line, "file:line: ...") are appended to
 * warn (may be NULL). map, if not NULL, receives a malloc'd array: for each
 * line N (1-based) of out, the lab.conf line it came from (0: none).
 * Returns 0 or -errno with e = "file:line: what is wrong".
 */
int kathara_convert(const char *arg, const struct kathara_opts *o,
		    struct strbuf *out, struct strbuf *warn, int **map,
		    int *nmap, struct err *e);

/* the same, from lab.conf's text (dep: lab.dep's text or NULL) */
int kathara_convert_text(const char *dir, const char *conf_text,
			 const char *dep_text, const struct kathara_opts *o,
			 struct strbuf *out, struct strbuf *warn, int **map,
			 int *nmap, struct err *e);

/*
 * kathara_convert_text, then lab_parse() of its output in memory (errors
 * told at lab.conf's lines); text receives the native lab.
 */
int kathara_lab_text(const char *dir, const char *conf_text,
		     const char *dep_text, const struct kathara_opts *o,
		     struct lab *lab, struct strbuf *text, struct strbuf *warn,
		     struct err *e);

/*
 * lab_load()'s hook: read the Kathará lab at arg into lab (compiled by the
 * caller) with the options o (`umnet lab up --name/--netkit`; NULL:
 * none). gen: write the native text to the lab's state dir and parse it
 * from there (lab up saves a copy of lab->path); else parse it in memory.
 * Warnings ("file:line: warning: ...", one per line) go to o->warn.
 */
int kathara_lab_parse(const char *arg, const struct kathara_opts *o, bool gen,
		      struct lab *lab, struct err *e);

/* NODE.shutdown and shared.shutdown in the nodes of lab name, if it was
 * made from a Kathará directory (bounded; before lab_down) */
void kathara_lab_shutdown(const char *name);

/* umnet lab convert DIR [--netkit] [--name NAME] -o FILE.lab */
int lab_convert_main(int argc, char *argv[]);

#endif
