/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A lab's NAT on the host for bridged = yes and port = (labnat.c,
 * docs/lab.md): the privilege check, and the nf_tables table and
 * ip_forward, journalled in the lab's journal and undone by `lab down`.
 */
#ifndef UMNET_LABNAT_H
#define UMNET_LABNAT_H

#include <stdbool.h>

#include "lab.h"

/* some node of the lab is bridged */
bool lab_nat_needed(const struct lab *lab);
/*
 * Before anything is made: -EPERM with e naming the first bridged node,
 * its line and what to do, when the lab needs NAT and we lack
 * CAP_NET_ADMIN
 */
int lab_nat_check(const struct lab *lab, struct err *e);
/* ip_forward on and the table umnet-LAB, each journalled first */
int lab_nat_up(const struct lab *lab, const char *journal, struct err *e);

#endif
