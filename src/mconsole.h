/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mconsole: the UML management console protocol (arch/um/drivers/mconsole.h).
 * Requests go to the unix datagram socket <uml_dir>/<umid>/mconsole; UML
 * answers each with one or more replies (while `more` is set). With
 * mconsole=notify:PATH on its command line UML also sends notifications to
 * PATH: its socket path at boot, panics, hangs, and every write the guest
 * makes to /proc/mconsole (USER_NOTIFY).
 * Functions return -errno on failure and never print.
 */
#ifndef UMNET_MCONSOLE_H
#define UMNET_MCONSOLE_H

#include <stddef.h>

#define MCONSOLE_MAGIC 0xcafebabe
#define MCONSOLE_VERSION 2
#define MCONSOLE_MAX_DATA 512
/*
 * The most reply data mconsole_cmd collects from the parts of one reply
 * (a `proc` of a big file comes in many 511-byte parts): a guest cannot
 * make umnet hold more than this.
 */
#define MCONSOLE_MAX_REPLY (1 << 20)

enum mconsole_notify_type {
	MCONSOLE_SOCKET = 0,
	MCONSOLE_PANIC = 1,
	MCONSOLE_HANG = 2,
	MCONSOLE_USER_NOTIFY = 3,
};

/*
 * Send cmd (e.g. "version", "proc meminfo", "config con2") to the mconsole
 * socket at sock_path and collect every reply. On success returns 0 when UML
 * reported success and 1 when UML reported an error for the command; *out is
 * then a malloc'd NUL-terminated string with the concatenated reply data
 * (caller frees). Returns -errno on transport failure, -ETIMEDOUT when no
 * reply came within timeout_ms, -E2BIG when cmd is longer than 511 bytes,
 * -EBADMSG when a reply is malformed (shorter than its 12-byte header,
 * longer than a whole mconsole_reply, or its len is over 512 or over the
 * bytes received), -EMSGSIZE when the parts add up to more than
 * MCONSOLE_MAX_REPLY bytes. timeout_ms bounds the whole exchange, all parts
 * included; a negative timeout_ms waits forever.
 */
int mconsole_cmd(const char *sock_path, const char *cmd, int timeout_ms,
		 char **out);

/*
 * Bind a unix datagram socket at path (removing a stale socket file first)
 * to receive notifications. Returns the fd (O_CLOEXEC|O_NONBLOCK) or -errno.
 */
int mconsole_notify_open(const char *path);
/*
 * Read one notification from fd into *type and data (NUL-terminated, at most
 * len-1 bytes). Returns 0, -EAGAIN when none is pending, -EBADMSG when the
 * datagram is short, longer than a whole mconsole_notify, its len is over
 * 512 or over the bytes received, or it has a wrong magic, version or
 * type, or -errno.
 */
int mconsole_notify_read(int fd, int *type, char *data, size_t len);

/*
 * The datagram decoders behind mconsole_cmd and mconsole_notify_read: dgram
 * is the n bytes received (suitably aligned; nothing past n is read). A
 * reply part's data (without UML's trailing NUL) points into dgram.
 * Both return 0 or -EBADMSG (notify: -EINVAL for bad arguments).
 */
struct mconsole_part {
	int err, more;
	const char *data;
	size_t len;
};
int mconsole_reply_decode(const void *dgram, size_t n,
			  struct mconsole_part *part);
int mconsole_notify_decode(const void *dgram, size_t n, int *type, char *data,
			   size_t len);

#endif
