/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host user and group ids for jailed processes. When umnet runs as root,
 * every node's UML kernel (and its console holder) runs as a uid of its
 * own, and every lab's nodes, switches and wire keeper share a gid of the
 * lab's, so that switch sockets can be reached by the lab's nodes alone.
 * The ids come from a documented range (docs/security.md):
 *
 *   UMNET_ID_BASE (default 2000000000) .. UMNET_ID_BASE + 65535
 *
 * Allocation is a file per id under STATE_ROOT/.ids/ made with O_EXCL
 * (atomic across concurrent umnets), plus a reverse entry by owner, so
 * an owner gets its id back and allocation is O(1) in the ids in use.
 */
#ifndef UMNET_IDS_H
#define UMNET_IDS_H

#include <sys/types.h>

#define UMNET_ID_BASE_DEFAULT 2000000000u
#define UMNET_ID_COUNT 65536u

/* the first id of the range (UMNET_ID_BASE or the default) */
unsigned int ids_base(void);

/*
 * The id of owner (a node name, or "lab:NAME" for a lab), allocating one
 * when it has none. -ENOSPC when the range is full, -errno otherwise.
 */
int ids_alloc(const char *owner, unsigned int *id);

/* the id owner holds, or -ENOENT */
int ids_lookup(const char *owner, unsigned int *id);

/* release owner's id; 0 also when it had none */
int ids_free(const char *owner);

#endif
