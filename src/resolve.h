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

#endif
