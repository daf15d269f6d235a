// SPDX-License-Identifier: GPL-2.0
/*
 * The Netkit dialect of lab.conf (docs/kathara.md): machines= (or
 * LAB_MACHINES=) lists the devices that start, in that order.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kathara_priv.h"
#include "lab_priv.h"

int k_set_machines(struct k_lab *k, int line, const char *v, struct err *e)
{
	char *buf = strdup(v), *tok, *save = NULL;
	int ret = 0;

	if (!buf)
		return errf(e, -ENOMEM, "out of memory");
	k->nmachines = 0;
	k->machines_line = line;
	for (tok = strtok_r(buf, " \t,", &save); tok && !ret;
	     tok = strtok_r(NULL, " \t,", &save)) {
		ret = lab_grow(&k->machines, k->nmachines, &k->machines_cap,
			       sizeof(*k->machines), e);
		if (!ret)
			strscpy(k->machines[k->nmachines++], tok,
				sizeof(k->machines[0]));
	}
	free(buf);
	return ret;
}

/* value: "..." | '...' | bare word; then optional spaces and # comment */

bool k_looks_netkit(const char *text)
{
	const char *s = text;

	while (s && *s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!strncmp(s, "machines=", 9) ||
		    !strncmp(s, "LAB_MACHINES=", 13))
			return true;
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	return false;
}

int k_netkit_machines(struct k_lab *k, struct err *e)
{
	int i, j;

	if (!k->nmachines)
		return 0; /* Kathará, or Netkit without a list: all start */
	for (i = 0; i < k->nmachines; i++) {
		j = k_dev_find(k, k->machines[i]);
		if (j < 0) {
			j = k_dev_get(k, k->machines[i], k->machines_line, e);
			if (j < 0)
				return j;
		}
		k->devs[j].listed = true;
		k->devs[j].order = i;
	}
	for (i = j = 0; i < k->ndevs; i++) {
		if (!k->devs[i].listed) {
			k_warn_at(k, k->conf, k->devs[i].line,
				  "%s is not in machines=: it does not start",
				  k->devs[i].name);
			for (int f = 0; f < k->devs[i].nifs; f++)
				k->cds[k->devs[i].ifs[f].cd].ndevs--;
			continue;
		}
		if (i != j)
			k->devs[j] = k->devs[i];
		j++;
	}
	k->ndevs = j;
	return 0;
}
