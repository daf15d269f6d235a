/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Impairment of a running lab's links (docs/impairment.md): `lab link set`
 * replaces what every endpoint's egress does (tc inside the nodes), `reset`
 * takes it away; what was set is kept in the lab's state dir
 * (impair-LINK) so that `lab link show` and `lab graph` can tell it and a
 * node that comes back gets it again. Never prints.
 */
#ifndef UMNET_LABIMPAIR_H
#define UMNET_LABIMPAIR_H

#include <stdbool.h>

#include "impair.h"
#include "lab.h"

/*
 * Apply im (nothing set: remove every impairment) on every endpoint of
 * link that runs, and record it. Returns 0 or -errno with e set.
 */
int lab_link_impair(const struct lab *lab, int link, const struct impair *im,
		    struct err *e);

/*
 * What link has now: what `lab link set`/`reset` recorded (*runtime =
 * true), else the lab file's keys.
 */
void lab_link_impair_get(const struct lab *lab, int link, struct impair *im,
			 bool *runtime);

/* apply the recorded impairment again on the nodes with booted[node] */
void lab_impair_reapply(const struct lab *lab, const bool *booted);

struct ep_counters {
	unsigned long long rx_packets, tx_packets, rx_bytes, tx_bytes;
	unsigned long long rx_dropped, tx_dropped;
	unsigned long long qdisc_drops; /* the root qdisc's: netem's losses */
	char qdisc[128]; /* "netem delay 25ms" as tc shows the root qdisc */
};

/* an endpoint's counters, read in its node; -ESRCH when it is down */
int lab_ep_counters(const struct lab *lab, int node, int vec,
		    struct ep_counters *c);

#endif
