/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A lab as plain Kubernetes manifests (docs/scale.md): per node a
 * ConfigMap (its profile, its files, the lab's tests), a headless Service
 * (its DNS name) and a Deployment of one unprivileged pod running
 * `umnet node run`; the links become L2TPv3 over UDP between the pods,
 * whose far ends `node run --peer vecN=NAME` resolves at start. Only
 * core kinds (v1, apps/v1). Never prints.
 */
#ifndef UMNET_KUBE_H
#define UMNET_KUBE_H

#include "lab.h"
#include "util.h"

#define KUBE_NAME_MAX 63
#define KUBE_CONFIG_DIR "/etc/umnet/node" /* the ConfigMap in the pod */
#define KUBE_FILE_MAX (512 * 1024) /* one ConfigMap key (its limit: 1 MiB) */
/* file = directories and executables, in one archive the pod unpacks
 * (umnet node run --unpack KUBE_FILES_TAR=KUBE_FILES_DIR) */
#define KUBE_FILES_KEY "files.tar"
#define KUBE_FILES_DIR "/tmp/umnet-files"
#define KUBE_PORT_BASE 10000 /* UDP port of link i: base + i, both ends */
#define KUBE_RUN_UID 65534

struct kube_opts {
	const char *image; /* NULL: KUBE_IMAGE_DEFAULT */
	const char *ns; /* NULL: "umnet-" + the lab's name */
	bool debian; /* the image holds the Debian image too (make image
			IMAGE_DEBIAN=1): nodes may have image = debian */
};
#define KUBE_IMAGE_DEFAULT "localhost/umnet:latest"

struct kube_file {
	char name[KUBE_NAME_MAX + 8]; /* "NAME.yaml" */
	struct strbuf text;
};

struct kube_manifests {
	char lab[LAB_NAME_MAX + 1]; /* whose */
	/* namespace.yaml, then one per node, then one per segment */
	struct kube_file *files;
	int nfiles;
};

/*
 * Render a lab (parsed and compiled with gen_dir NULL) as manifests.
 * Refuses, with the reason, what a pod cannot have: links other than
 * two-node wires and switch segments, interfaces that are not links,
 * disks, netns, eBPF.
 */
int kube_export(const struct lab *lab, const struct kube_opts *o,
		struct kube_manifests *m, struct err *e);
/*
 * Write every file into dir (made if missing), then remove the files an
 * earlier export of the same lab left there that this one no longer has
 * (a node since removed: its manifest would still be applied). Only
 * *.yaml files whose first line is this lab's export header are removed;
 * their names go to removed (may be NULL), each followed by a space.
 */
int kube_write(const struct kube_manifests *m, const char *dir,
	       struct strbuf *removed, struct err *e);
void kube_manifests_free(struct kube_manifests *m);

/* the DNS-1123 label for a lab or node name: lowercase, '_' -> '-' */
void kube_name(const char *s, char *out, size_t len);
/* the name of a segment's switch (Service, Deployment): seg-LINK */
void kube_seg_name(const char *link, char *out, size_t len);
/* where the switch of a segment listens in its pod (-s PATH) */
#define KUBE_SWITCH_SOCK "/tmp/umnet-switch.sock"

/*
 * The lab that runs the tests inside a pod: nodes (with their loopbacks),
 * links (with their addresses) and the [test] section, nothing to boot;
 * its tests keep their indices.
 */
void kube_test_lab(const struct lab *lab, struct strbuf *sb);

/* "vecN=HOST": the peer a --peer option names */
int kube_peer_parse(const char *arg, int *vec, char *host, size_t len,
		    struct err *e);

#endif
