/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the mconsole unit tests share (test_mconsole.c: requests and
 * replies; test_mconsole_notify.c: the notify socket): UML's wire layouts,
 * written out here independently of src/mconsole.c, and a bound socket.
 */
#ifndef UMNET_MCONSOLE_UNIT_H
#define UMNET_MCONSOLE_UNIT_H

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "mconsole.h"

struct w_request {
	uint32_t magic;
	uint32_t version;
	uint32_t len;
	char data[MCONSOLE_MAX_DATA];
};

struct w_reply {
	uint32_t err;
	uint32_t more;
	uint32_t len;
	char data[MCONSOLE_MAX_DATA];
};

struct w_notify {
	uint32_t magic;
	uint32_t version;
	uint32_t type;
	uint32_t len;
	char data[MCONSOLE_MAX_DATA];
};

/* a datagram socket bound to path, or -1 */
static inline int bind_path(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

#endif
