/* SPDX-License-Identifier: GPL-2.0 */
/* Pipes of the in-node programs that spawn (nodeconf_spawn.c, agent.c). */
#ifndef UMNET_PIPEFD_H
#define UMNET_PIPEFD_H

#include <errno.h>
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

/*
 * One read of a command's output pipe, retried on EINTR: the bytes read,
 * or 0 when there is nothing for now (EAGAIN) or ever (EOF, an error:
 * *fd is closed and set to -1)
 */
static inline ssize_t pipe_read(int *fd, char *buf, size_t len)
{
	ssize_t n;

	do
		n = read(*fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		return n;
	if (n == 0 || errno != EAGAIN) {
		close(*fd);
		*fd = -1;
	}
	return 0;
}

#endif
