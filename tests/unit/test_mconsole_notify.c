// SPDX-License-Identifier: GPL-2.0
/*
 * The mconsole notify socket: datagrams laid out as UML's mconsole_notify()
 * sends them (arch/um/drivers/mconsole_user.c) are fed to
 * mconsole_notify_read. The request/reply tests are test_mconsole.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "mconsole_unit.h"
#include "unit.h"

static char dir[64];

static int send_notify(int s, const struct sockaddr_un *to, uint32_t magic,
		       uint32_t version, uint32_t type, const void *data,
		       uint32_t len, size_t bytes)
{
	struct w_notify p;

	memset(&p, 0, sizeof(p));
	p.magic = magic;
	p.version = version;
	p.type = type;
	p.len = len;
	memcpy(p.data, data, len > sizeof(p.data) ? sizeof(p.data) : len);
	if (!bytes)
		/* mconsole_notify(): the header plus len bytes */
		bytes = sizeof(p) + p.len - sizeof(p.data);
	if (sendto(s, &p, bytes, 0, (const struct sockaddr *)to, sizeof(*to)) !=
	    (ssize_t)bytes)
		return -1;
	return 0;
}

static void test_notify(void)
{
	struct sockaddr_un to = { .sun_family = AF_UNIX };
	char path[200], data[600], small[4], max[MCONSOLE_MAX_DATA];
	int fd, s, type, fl, ret;
	struct stat st;

	snprintf(path, sizeof(path), "%s/notify", dir);
	memcpy(to.sun_path, path, strlen(path) + 1); /* dir is short */

	/* a regular file in the way is not ours to remove */
	close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	ret = mconsole_notify_open(path);
	CHECK_INT("notify_open on a regular file: -EADDRINUSE", ret,
		  -EADDRINUSE);
	if (ret >= 0)
		close(ret);
	CHECK("notify_open left the regular file alone",
	      stat(path, &st) == 0 && S_ISREG(st.st_mode), "it is gone");
	unlink(path);

	/* a stale socket from an earlier run is replaced */
	s = bind_path(path);
	if (s >= 0)
		close(s);
	fd = mconsole_notify_open(path);
	CHECK("notify_open over a stale socket", fd >= 0, "got %d", fd);
	if (fd < 0)
		return;
	fl = fcntl(fd, F_GETFL);
	CHECK("notify fd is O_NONBLOCK", fl >= 0 && (fl & O_NONBLOCK),
	      "flags %#x", fl);
	fl = fcntl(fd, F_GETFD);
	CHECK("notify fd is FD_CLOEXEC", fl >= 0 && (fl & FD_CLOEXEC),
	      "flags %#x", fl);

	CHECK_INT("nothing pending: -EAGAIN",
		  mconsole_notify_read(fd, &type, data, sizeof(data)), -EAGAIN);

	/* UML's notify socket is unbound, like this one */
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	/* MCONSOLE_SOCKET: the path with its NUL, len = strlen + 1 */
	send_notify(s, &to, MCONSOLE_MAGIC, MCONSOLE_VERSION, MCONSOLE_SOCKET,
		    "/tmp/uml/n1/mconsole", 21, 0);
	type = -1;
	ret = mconsole_notify_read(fd, &type, data, sizeof(data));
	CHECK_INT("SOCKET notification: returns 0", ret, 0);
	CHECK_INT("SOCKET notification: type", type, MCONSOLE_SOCKET);
	CHECK_STR("SOCKET notification: data", data, "/tmp/uml/n1/mconsole");

	/* USER_NOTIFY: exactly what was written, no NUL */
	send_notify(s, &to, MCONSOLE_MAGIC, MCONSOLE_VERSION,
		    MCONSOLE_USER_NOTIFY, "ready\n", 6, 0);
	ret = mconsole_notify_read(fd, &type, data, sizeof(data));
	CHECK_INT("USER_NOTIFY: returns 0", ret, 0);
	CHECK_INT("USER_NOTIFY: type", type, MCONSOLE_USER_NOTIFY);
	CHECK_STR("USER_NOTIFY: data", data, "ready\n");

	send_notify(s, &to, MCONSOLE_MAGIC, MCONSOLE_VERSION, MCONSOLE_PANIC,
		    "Kernel panic\0", 13, 0);
	ret = mconsole_notify_read(fd, &type, small, sizeof(small));
	CHECK_INT("PANIC into a 4-byte buffer: returns 0", ret, 0);
	CHECK_INT("PANIC: type", type, MCONSOLE_PANIC);
	CHECK_STR("PANIC into a 4-byte buffer: truncated", small, "Ker");

	memset(max, 'm', sizeof(max));
	send_notify(s, &to, MCONSOLE_MAGIC, MCONSOLE_VERSION,
		    MCONSOLE_USER_NOTIFY, max, sizeof(max), 0);
	ret = mconsole_notify_read(fd, &type, data, sizeof(data));
	CHECK_INT("512-byte USER_NOTIFY: returns 0", ret, 0);
	CHECK_INT("512-byte USER_NOTIFY: all of it", strlen(data), 512);

	send_notify(s, &to, 0xdeadbeef, MCONSOLE_VERSION, MCONSOLE_SOCKET, "x",
		    2, 0);
	CHECK_INT("bad magic: -EBADMSG",
		  mconsole_notify_read(fd, &type, data, sizeof(data)),
		  -EBADMSG);
	send_notify(s, &to, __builtin_bswap32(MCONSOLE_MAGIC), MCONSOLE_VERSION,
		    MCONSOLE_SOCKET, "x", 2, 0);
	CHECK_INT("byte-swapped magic: -EBADMSG",
		  mconsole_notify_read(fd, &type, data, sizeof(data)),
		  -EBADMSG);
	send_notify(s, &to, MCONSOLE_MAGIC, 1, MCONSOLE_SOCKET, "x", 2, 0);
	CHECK_INT("bad version: -EBADMSG",
		  mconsole_notify_read(fd, &type, data, sizeof(data)),
		  -EBADMSG);
	send_notify(s, &to, MCONSOLE_MAGIC, MCONSOLE_VERSION, MCONSOLE_SOCKET,
		    "", 0, 10);
	CHECK_INT("short (10-byte) datagram: -EBADMSG",
		  mconsole_notify_read(fd, &type, data, sizeof(data)),
		  -EBADMSG);
	send_notify(s, &to, MCONSOLE_MAGIC, MCONSOLE_VERSION, MCONSOLE_SOCKET,
		    max, 100, 16 + 3);
	CHECK_INT("len over the bytes sent: -EBADMSG",
		  mconsole_notify_read(fd, &type, data, sizeof(data)),
		  -EBADMSG);
	send_notify(s, &to, MCONSOLE_MAGIC, MCONSOLE_VERSION, MCONSOLE_SOCKET,
		    max, 513, sizeof(struct w_notify));
	CHECK_INT("len 513: -EBADMSG",
		  mconsole_notify_read(fd, &type, data, sizeof(data)),
		  -EBADMSG);
	send_notify(s, &to, MCONSOLE_MAGIC, MCONSOLE_VERSION, 4, "x", 1, 0);
	CHECK_INT("unknown type 4: -EBADMSG",
		  mconsole_notify_read(fd, &type, data, sizeof(data)),
		  -EBADMSG);
	{
		char d[600] = { 0 };
		struct w_notify *p = (struct w_notify *)d;

		p->magic = MCONSOLE_MAGIC;
		p->version = MCONSOLE_VERSION;
		p->type = MCONSOLE_USER_NOTIFY;
		p->len = 5;
		sendto(s, d, sizeof(d), 0, (const struct sockaddr *)&to,
		       sizeof(to));
		CHECK_INT("a 600-byte notify datagram: -EBADMSG",
			  mconsole_notify_read(fd, &type, data, sizeof(data)),
			  -EBADMSG);
	}
	CHECK_INT("queue drained: -EAGAIN",
		  mconsole_notify_read(fd, &type, data, sizeof(data)), -EAGAIN);

	close(s);
	close(fd);
	unlink(path);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/umnet-mcn-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_notify();
	CHECK_INT("temp dir removed", rmdir(dir), 0);
	UNIT_DONE();
}
