// SPDX-License-Identifier: GPL-2.0
/*
 * mconsole client: the wire format mirrors arch/um/drivers/mconsole.h. All
 * fields are in host byte order (UML runs on this host). UML replies with
 * sendto() to the address recvfrom() gave it, so the client socket must have
 * an address: we bind it to a socket file beside UML's (see mconsole_cmd).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "mconsole.h"
#include "util.h"

struct mc_request {
	uint32_t magic;
	uint32_t version;
	uint32_t len;
	char data[MCONSOLE_MAX_DATA];
};

struct mc_reply {
	uint32_t err;
	uint32_t more;
	uint32_t len;
	char data[MCONSOLE_MAX_DATA];
};

struct mc_notify {
	uint32_t magic;
	uint32_t version;
	uint32_t type; /* an enum in UML: 4 bytes on every Linux ABI */
	uint32_t len;
	char data[MCONSOLE_MAX_DATA];
};

#define MC_REPLY_HDR offsetof(struct mc_reply, data)
#define MC_NOTIFY_HDR offsetof(struct mc_notify, data)

_Static_assert(sizeof(struct mc_request) == 12 + MCONSOLE_MAX_DATA,
	       "mconsole_request layout");
_Static_assert(sizeof(struct mc_reply) == 12 + MCONSOLE_MAX_DATA,
	       "mconsole_reply layout");
_Static_assert(sizeof(struct mc_notify) == 16 + MCONSOLE_MAX_DATA,
	       "mconsole_notify layout");

static int fill_sun(struct sockaddr_un *sun, const char *path)
{
	size_t n = strlen(path);

	if (n == 0)
		return -EINVAL;
	if (n >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, n);
	return 0;
}

/* Wait for events on fd until the deadline (<0: none) passes. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int64_t left;
	int n;

	for (;;) {
		left = -1;
		if (deadline >= 0) {
			left = deadline - now_ms();
			if (left < 0)
				left = 0;
			if (left > INT32_MAX)
				left = INT32_MAX;
		}
		n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return 0;
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

/* bind fd to DIR(sock_path)/client.PID.N, the path in out */
static int bind_client(int fd, const char *sock_path, char *out, size_t len)
{
	static unsigned int seq;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *slash = strrchr(sock_path, '/');
	int dirlen = slash ? (int)(slash - sock_path) : 1, ret;
	size_t n;

	ret = path_fmt(sun.sun_path, sizeof(sun.sun_path), "%.*s/.client.%d.%u",
		       dirlen, slash ? sock_path : ".", (int)getpid(), seq++);
	if (ret)
		return ret;
	n = strlen(sun.sun_path);
	if (n >= len)
		return -ENAMETOOLONG;
	unlink(sun.sun_path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		return -errno;
	/*
	 * UML replies with sendto(), which needs write permission on our
	 * socket: a jailed node runs as a uid of its own. The directory is
	 * the node's, 0700: no one else reaches the socket.
	 */
	if (chmod(sun.sun_path, 0666) < 0) {
		ret = -errno;
		unlink(sun.sun_path);
		return ret;
	}
	memcpy(out, sun.sun_path, n + 1);
	return 0;
}

int mconsole_reply_decode(const void *dgram, size_t n,
			  struct mconsole_part *part)
{
	const struct mc_reply *rep = dgram;
	size_t dlen;

	if (n < MC_REPLY_HDR || n > sizeof(*rep) ||
	    rep->len > MCONSOLE_MAX_DATA || rep->len > n - MC_REPLY_HDR)
		return -EBADMSG;
	/* UML counts the NUL it puts after each part in len */
	dlen = rep->len;
	if (dlen > 0 && rep->data[dlen - 1] == '\0')
		dlen--;
	part->err = rep->err != 0;
	part->more = rep->more != 0;
	part->data = rep->data;
	part->len = dlen;
	return 0;
}

int mconsole_cmd(const char *sock_path, const char *cmd, int timeout_ms,
		 char **out)
{
	struct mc_request req;
	struct mc_reply rep;
	struct sockaddr_un sun;
	sa_family_t family = AF_UNIX;
	int64_t deadline = -1;
	char *buf = NULL, *nbuf;
	struct mconsole_part part;
	size_t used = 0;
	int fd = -1, failed = 0, more = 1, ret;
	char client[sizeof(sun.sun_path)] = "";
	ssize_t n;

	if (!sock_path || !cmd || !out)
		return -EINVAL;
	*out = NULL;
	if (strlen(cmd) >= MCONSOLE_MAX_DATA)
		return -E2BIG;
	ret = fill_sun(&sun, sock_path);
	if (ret)
		return ret;
	if (timeout_ms >= 0)
		deadline = now_ms() + timeout_ms;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/*
	 * An address UML can send its replies to: a socket file beside
	 * UML's own, so replies reach us even when UML runs in another
	 * network namespace (abstract addresses are per namespace); an
	 * autobound abstract address when the path would be too long.
	 */
	ret = bind_client(fd, sock_path, client, sizeof(client));
	if (ret == -ENAMETOOLONG) {
		client[0] = '\0';
		ret = bind(fd, (struct sockaddr *)&family, sizeof(family)) < 0
			      ? -errno
			      : 0;
	}
	if (ret)
		goto cleanup;
	/* connected: datagrams from anyone but UML's socket are refused */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		ret = -errno;
		goto cleanup;
	}

	memset(&req, 0, sizeof(req));
	req.magic = MCONSOLE_MAGIC;
	req.version = MCONSOLE_VERSION;
	req.len = strlen(cmd);
	memcpy(req.data, cmd, req.len);
	/*
	 * The whole struct, as uml_mconsole sends it; UML honours req.len.
	 * Non-blocking: a stopped UML with a full queue must not outlast
	 * the timeout.
	 */
	for (;;) {
		n = send(fd, &req, sizeof(req), MSG_DONTWAIT);
		if (n >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			ret = -errno;
			goto cleanup;
		}
		ret = wait_fd(fd, POLLOUT, deadline);
		if (ret)
			goto cleanup;
	}
	if ((size_t)n != sizeof(req)) {
		ret = -EIO;
		goto cleanup;
	}

	buf = malloc(1);
	if (!buf) {
		ret = -ENOMEM;
		goto cleanup;
	}
	while (more) {
		ret = wait_fd(fd, POLLIN, deadline);
		if (ret)
			goto cleanup;
		/* MSG_TRUNC: n is the datagram's real size */
		n = recv(fd, &rep, sizeof(rep), MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			ret = -errno;
			goto cleanup;
		}
		ret = mconsole_reply_decode(&rep, n, &part);
		if (ret)
			goto cleanup;
		if (used + part.len > MCONSOLE_MAX_REPLY) {
			ret = -EMSGSIZE;
			goto cleanup;
		}
		nbuf = realloc(buf, used + part.len + 1);
		if (!nbuf) {
			ret = -ENOMEM;
			goto cleanup;
		}
		buf = nbuf;
		memcpy(buf + used, part.data, part.len);
		used += part.len;
		/*
		 * err is set on the first part of each mconsole_reply();
		 * proc can send "Read of file failed" after more=1 parts.
		 */
		if (part.err)
			failed = 1;
		more = part.more;
	}

	buf[used] = '\0';
	*out = buf;
	buf = NULL;
	ret = failed;
cleanup:
	free(buf);
	if (fd >= 0)
		close(fd);
	if (client[0])
		unlink(client);
	return ret;
}

int mconsole_notify_open(const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd = -1, ret;

	if (!path)
		return -EINVAL;
	ret = fill_sun(&sun, path);
	if (ret)
		return ret;
	/* only ever remove a socket: never a file someone put there */
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) && unlink(path) < 0 &&
	    errno != ENOENT)
		return -errno;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		ret = -errno;
		goto cleanup;
	}
	return fd;
cleanup:
	close(fd);
	return ret;
}

int mconsole_notify_decode(const void *dgram, size_t n, int *type, char *data,
			   size_t len)
{
	const struct mc_notify *msg = dgram;
	size_t dlen;

	if (!type || !data || len == 0)
		return -EINVAL;
	if (n < MC_NOTIFY_HDR || n > sizeof(*msg) ||
	    msg->magic != MCONSOLE_MAGIC || msg->version != MCONSOLE_VERSION ||
	    msg->type > MCONSOLE_USER_NOTIFY || msg->len > MCONSOLE_MAX_DATA ||
	    msg->len > n - MC_NOTIFY_HDR)
		return -EBADMSG;

	/* SOCKET and PANIC data end in a NUL, USER_NOTIFY data does not */
	dlen = strnlen(msg->data, msg->len);
	if (dlen > len - 1)
		dlen = len - 1;
	memcpy(data, msg->data, dlen);
	data[dlen] = '\0';
	*type = (int)msg->type;
	return 0;
}

int mconsole_notify_read(int fd, int *type, char *data, size_t len)
{
	struct mc_notify msg;
	ssize_t n;

	if (!type || !data || len == 0)
		return -EINVAL;
	do {
		n = recv(fd, &msg, sizeof(msg), MSG_DONTWAIT | MSG_TRUNC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return mconsole_notify_decode(&msg, n, type, data, len);
}
