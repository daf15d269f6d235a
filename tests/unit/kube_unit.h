/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the unit tests of lab export --kubernetes. */
#ifndef UMNET_KUBE_UNIT_H
#define UMNET_KUBE_UNIT_H

#include <string.h>

#include "kube.h"

/* the text of the manifest file name, NULL when there is none */
static inline const char *kube_file_text(const struct kube_manifests *m,
					 const char *name)
{
	for (int i = 0; i < m->nfiles; i++)
		if (!strcmp(m->files[i].name, name))
			return sb_str(&m->files[i].text);
	return NULL;
}

#endif
