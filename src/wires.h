/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wires: point-to-point links between two nodes, the fd transport with
 * host = wire (transports/fd.c is its transport glue; this file is the
 * mechanism, shared with the lab code). The two ends of a wire are a
 * socketpair(AF_UNIX, SOCK_SEQPACKET); each UML process inherits its end
 * as fd WIRE_FD_BASE + N for its vecN.
 *
 * A wire outside a lab: the first node on wire NAME makes the socketpair,
 * uses one end and keeps the other open in its UML process (fd
 * WIRE_SPARE_BASE + N); the second node takes that end from it with
 * pidfd_getfd(2). Each node records the wire in its state dir (file
 * wire-NAME: "owner vecN" or "peer vecN NODE"), so it goes away with the
 * nodes. If the second node restarts it takes the spare end again and
 * the link comes back; if the first node restarts, the second must be
 * restarted too (its end's peer is gone for good).
 *
 * A wire in a lab: one keeper process (umnet-wires) holds both ends of
 * every wire of the lab and registers them in STATE_ROOT/.wires/NAME
 * ("PID STARTTIME FD_A FD_B NODE_A NODE_B"): each node takes its own end
 * from the keeper, so either node can be restarted alone and the link
 * comes back.
 */
#ifndef UMNET_WIRES_H
#define UMNET_WIRES_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "util.h"

#define WIRE_NAME_MAX 32
/* where the ends go in the UML process */
#define WIRE_FD_BASE 100 /* the node's own end of vecN: 100 + N */
#define WIRE_SPARE_BASE 200 /* the spare end kept for the peer: 200 + N */

/* 1-32 letters, digits, '.', '_' or '-', not starting with '.' */
bool wire_name_valid(const char *s);

/*
 * The two ends of a wire: a SOCK_SEQPACKET socketpair whose send buffers
 * hold a full vector of frames. -errno.
 */
int wire_socketpair(int sv[2]);

struct node_paths;
struct fd_pass;
/*
 * Give node's vecN on wire its end (into pass, for the UML process): from
 * the lab's keeper when one registered the wire, else from the other node
 * on it, else a new socketpair whose spare end the peer takes later.
 */
int wire_attach(const char *node, int vec, const char *wire,
		const struct node_paths *np, struct fd_pass *pass,
		struct err *e);

/* node, whose state dir holds wire-WIRE, goes away: drop it from the index */
void wire_node_gone(const char *node, const char *wire);

struct lab;
struct lab_paths;
/*
 * Start the lab's keeper with a socketpair per wire of the lab and
 * register the wires; nothing when the lab has none. The keeper is
 * recorded in the lab's procs file as "keeper".
 */
int wire_keeper_start(const struct lab *lab, const struct lab_paths *lp,
		      struct err *e);

/* remove the registry records of lab's wires (named LAB.*) */
void wire_registry_drop(const char *lab);

#endif
