/* SPDX-License-Identifier: GPL-2.0 */
/* What the lab unit tests share (test_lab.c, test_lab_hosts.c, test_kube.c). */
#ifndef UMNET_LAB_UNIT_H
#define UMNET_LAB_UNIT_H

#include "lab.h"
#include "profile.h"

/* interface vecN of a compiled node's profile, NULL if it has none */
static inline const struct iface *find_iface(const struct profile *p, int vec)
{
	int i;

	for (i = 0; i < p->nifaces; i++)
		if (p->ifaces[i].index == vec)
			return &p->ifaces[i];
	return NULL;
}

/* text as the lab file path (relative paths: dir), parsed and compiled */
static inline int lab_unit_load(const char *path, const char *dir,
				const char *text, struct lab *lab,
				struct err *e)
{
	int ret = lab_parse(path, text, dir, lab, e);

	return ret ? ret : lab_compile(lab, NULL, e);
}

/* text as the lab file /x/t.lab (relative paths: /x), parsed and compiled */
static inline int lab_unit_text(const char *text, struct lab *lab,
				struct err *e)
{
	return lab_unit_load("/x/t.lab", "/x", text, lab, e);
}

#endif
