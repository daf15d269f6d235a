/* SPDX-License-Identifier: GPL-2.0 */
/* Private to kube.c and kube_yaml.c: the YAML writer kube.c fills. */
#ifndef UMNET_KUBE_YAML_H
#define UMNET_KUBE_YAML_H

#include "kube.h"

#define CFG_MAX_ITEMS (MAX_FILES + 3)

/* a file of the node's ConfigMap */
struct cfg_item {
	char key[64];
	char *data; /* owned */
	size_t len;
};

/* the head of an object: apiVersion, kind, metadata with the labels */
void kube_object(struct strbuf *sb, const char *api, const char *kind,
		 const char *name, const char *ns, const char *lab,
		 const char *node);

/*
 * Node i's ConfigMap (its profile, the lab's tests, its files), headless
 * Service and Deployment, with --peer vecN=NAME for each of peers.
 */
void kube_node_yaml(struct strbuf *sb, const struct lab *lab, int i,
		    const char *ns, const char *image, const char *profile,
		    const char *tests, struct cfg_item *items, int nitems,
		    const char (*peers)[80], int npeers);

/*
 * Segment li's headless Service and Deployment: `umnet switch` with a
 * --l2tp-peer for each of peers ("NODE:PORT,rx_session=...")
 */
void kube_seg_yaml(struct strbuf *sb, const struct lab *lab, int li,
		   const char *ns, const char *image, const char (*peers)[160],
		   int npeers);

#endif
