/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the Kathará / Netkit reader: lab.conf and lab.dep read into
 * struct k_lab (kathara_conf.c, kathara_dep.c), the Netkit dialect's
 * machines= list (kathara_netkit.c), the native lab written from it
 * (kathara_gen.c).
 * kathara.h is the API.
 */
#ifndef UMNET_KATHARA_PRIV_H
#define UMNET_KATHARA_PRIV_H

#include <stdbool.h>

#include "kathara.h"
#include "profile.h"

#define K_MAX_IFS MAX_IFACES
#define K_MAX_LIST MAX_LIST
#define K_DEV_MAX 30

struct k_if {
	int n; /* ethN */
	int cd; /* index in cds */
	char mac[18];
	int line;
};

struct k_dev {
	char name[K_DEV_MAX + 1];
	int line;
	struct k_if ifs[K_MAX_IFS];
	int nifs;
	unsigned long mem_mb;
	int mem_line;
	const char *image; /* NULL: umnet's default (minimal) */
	int image_line;
	int ipv6; /* -1 unset, 0, 1 */
	struct text_item execs[K_MAX_LIST], sysctls[K_MAX_LIST],
		envs[K_MAX_LIST];
	int nexecs, nsysctls, nenvs;
	bool bridged; /* bridged=true: bridged = yes, the last ethN */
	int bridged_line;
	struct text_item ports[K_MAX_LIST]; /* port=, as written */
	int nports;
	char seen[16][16]; /* non-repeatable keys given, for warnings */
	int nseen;
	int order; /* position in the boot order */
	bool listed; /* netkit: in machines= */
};

struct k_cd {
	char name[64];
	char link[LAB_NAME_MAX + 1];
	int line;
	int ndevs;
};

struct k_lab {
	const char *conf; /* for messages */
	const char *dep;
	bool netkit;
	char name[LAB_NAME_MAX + 1];
	char lab_name_raw[128];
	int lab_name_line;
	/* devices, collision domains, machines=: as many as lab.conf has */
	struct k_dev *devs;
	int ndevs, devs_cap;
	struct k_cd *cds;
	int ncds, cds_cap;
	char (*machines)[K_DEV_MAX + 1];
	int nmachines, machines_cap;
	int machines_line;
	struct strbuf *warn;
	/* devices without image=: Kathará's default image (kathara/base)
	 * is umnet's Debian image, when it is there */
	bool debian;
	bool quiet_default; /* minimal by request: no warning */
	const struct kathara_opts *o; /* nameservers (NULL: none) */
	int noimage, noimage_first; /* of them: how many, the first's index */
};

/* "file:line: warning: ..." appended to k->warn, if any */
__attribute__((format(printf, 4, 5))) void
k_warn_at(struct k_lab *k, const char *file, int line, const char *fmt, ...);
int k_dev_find(struct k_lab *k, const char *name);
/* the index of device name, made when new; -errno with e */
int k_dev_get(struct k_lab *k, const char *name, int line, struct err *e);
/* one line of lab.conf (line: its number; s is changed) */
int k_conf_line(struct k_lab *k, int line, char *s, struct err *e);
/*
 * lab.dep: "node: dep1 dep2"; each device's order = boot order (deps
 * first; else lab.conf order), O(n + e). A loop: -ELOOP naming it.
 */
int k_read_dep(struct k_lab *k, const char *text, struct err *e);

/* Netkit: machines= / LAB_MACHINES= (kathara_netkit.c) */
bool k_looks_netkit(const char *text);
int k_set_machines(struct k_lab *k, int line, const char *v, struct err *e);
/* keep the devices machines= lists, in its order (warn about the others) */
int k_netkit_machines(struct k_lab *k, struct err *e);

/* dir/name exists and is a directory (want_dir) or a regular file */
bool k_exists_in(const char *dir, const char *name, bool want_dir);

#endif
