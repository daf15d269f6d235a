/* SPDX-License-Identifier: GPL-2.0 */
/* Pipes of the in-node programs that spawn (nodeconf_spawn.c, agent.c). */
#ifndef UMNET_PIPEFD_H
#define UMNET_PIPEFD_H

#include <unistd.h>

/* close the ends of p that are still open (-1: closed) */
static inline void pipe_close(int p[2])
{
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0)
			close(p[i]);
		p[i] = -1;
	}
}

#endif
