/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of pods and hosts, as `umnet node run --peer` and the switch's
 * remote ports (--l2tp-peer) look them up.
 */
#ifndef UMNET_RESOLVE_H
#define UMNET_RESOLVE_H

#include <netdb.h>

/*
 * getaddrinfo(host, service, hints), then of HOST-pod and HOST-pod-0: a
 * headless Service's name on Kubernetes; podman kube play has no Services
 * and names a Deployment's pod HOST-pod-0 (podman 4.3) or HOST-pod
 * (later). Returns 0 with *res, or the first name's EAI_ error.
 */
int host_resolve(const char *host, const char *service,
		 const struct addrinfo *hints, struct addrinfo **res);

/*
 * The same lookup run beside the caller (in a thread of its own, which
 * takes none of the caller's signals), for a loop that must not stop while
 * a name server is slow or unreachable. resolve_start: 0 with *out, or an
 * EAI_ error; when it ends, the thread adds 1 to notify_fd (an eventfd;
 * -1: none) through a dup of its own, so the caller may close notify_fd at
 * any time. resolve_done: EAI_INPROGRESS while it runs, then what
 * host_resolve returned; the first 0 hands *res to the caller (to
 * freeaddrinfo), later ones NULL. resolve_free accepts NULL and may be
 * called while the lookup runs: the thread then frees what is left.
 * A thread does not survive fork(): start lookups in the process that
 * collects them.
 */
struct resolve_async;
int resolve_start(const char *host, const char *service,
		  const struct addrinfo *hints, int notify_fd,
		  struct resolve_async **out);
int resolve_done(struct resolve_async *ra, struct addrinfo **res);
void resolve_free(struct resolve_async *ra);

#endif
