/* SPDX-License-Identifier: GPL-2.0 */
/* --host NAME of the lab commands: a lab across hosts (docs/scale.md) */
#ifndef UMNET_CMD_LAB_HOST_H
#define UMNET_CMD_LAB_HOST_H

#include <stdbool.h>

#include "lab.h"

/*
 * Take --host NAME (or --host=NAME) out of argv, before the command reads
 * its own options: 0, or 2 after saying what is wrong.
 */
int lab_host_opt(int *argc, char *argv[], const char **host);
/*
 * The share of a loaded lab this command handles (lab_host_pick; need: no
 * answer is an error), its netns entered: 0, or 1 with the reason said.
 */
int lab_host_use(struct lab *lab, const char *host, bool need);
/* 1 (said) if any node of mask is on another host than this share's */
int lab_host_mask_check(const struct lab *lab, const bool *mask);

#endif
