// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol-level tests of the mconsole client: a responder thread plays
 * UML's side of arch/um/drivers/mconsole_user.c (recvfrom, then sendto the
 * origin, replies split as mconsole_reply_len() splits them) and checks the
 * bytes of every request; datagrams laid out as mconsole_notify() sends them
 * are fed to mconsole_notify_read. The tests against a real UML are in shell.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "mconsole.h"
#include "unit.h"

/* the wire layouts, written out here independently of src/mconsole.c */
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

static char dir[64], sock_path[128];
static int srv = -1;

/* what the responder saw of the last request */
static struct {
	char bad[256]; /* first protocol violation, "" if none */
	size_t bytes;
	char data[MCONSOLE_MAX_DATA + 1];
	int abstract_origin;
} seen;
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

static void mark_bad(const char *why)
{
	if (!seen.bad[0])
		snprintf(seen.bad, sizeof(seen.bad), "%s", why);
}

static void send_to(const struct sockaddr_un *to, socklen_t tolen,
		    const void *buf, size_t len)
{
	if (sendto(srv, buf, len, 0, (const struct sockaddr *)to, tolen) < 0)
		mark_bad("responder sendto failed");
}

/* mconsole_reply_len() from mconsole_user.c, packet for packet */
static void uml_reply_len(const struct sockaddr_un *to, socklen_t tolen,
			  const char *str, int total, int err, int more)
{
	struct w_reply reply;
	int len;

	do {
		reply.err = err;
		err = 0;
		len = total;
		if (len > MCONSOLE_MAX_DATA - 1)
			len = MCONSOLE_MAX_DATA - 1;
		reply.more = len == total ? more : 1;
		memcpy(reply.data, str, len);
		reply.data[len] = '\0';
		total -= len;
		str += len;
		reply.len = len + 1;
		len = sizeof(reply) + reply.len - sizeof(reply.data);
		send_to(to, tolen, &reply, len);
	} while (total > 0);
}

static void uml_reply(const struct sockaddr_un *to, socklen_t tolen,
		      const char *str, int err, int more)
{
	uml_reply_len(to, tolen, str, strlen(str), err, more);
}

static void raw_reply(const struct sockaddr_un *to, socklen_t tolen,
		      uint32_t err, uint32_t more, uint32_t len,
		      const char *data, size_t send_data)
{
	struct w_reply r;

	memset(&r, 0, sizeof(r));
	r.err = err;
	r.more = more;
	r.len = len;
	memcpy(r.data, data, strlen(data));
	send_to(to, tolen, &r, 12 + send_data);
}

static char big[1200];

static void *responder(void *arg)
{
	struct w_request req;
	struct sockaddr_un from;
	socklen_t fromlen;
	ssize_t n;
	int quit = 0;

	(void)arg;
	while (!quit) {
		memset(&req, 0, sizeof(req));
		fromlen = sizeof(from);
		n = recvfrom(srv, &req, sizeof(req), 0,
			     (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			break;

		pthread_mutex_lock(&seen_lock);
		memset(&seen, 0, sizeof(seen));
		seen.bytes = n;
		if (n < 12)
			mark_bad("request shorter than its header");
		if (req.magic != MCONSOLE_MAGIC)
			mark_bad("bad magic");
		if (req.version != MCONSOLE_VERSION)
			mark_bad("bad version");
		/* UML: "if (req->request.len >= MCONSOLE_MAX_DATA)" */
		if (req.len >= MCONSOLE_MAX_DATA)
			mark_bad("len >= 512");
		else if ((size_t)n < 12 + req.len)
			mark_bad("len over the bytes sent");
		else
			memcpy(seen.data, req.data, req.len);
		if (req.len < MCONSOLE_MAX_DATA &&
		    strnlen(req.data, req.len) != req.len)
			mark_bad("NUL inside data[0..len)");
		/*
		 * a socket file, so that replies cross network namespaces
		 * (abstract addresses do not)
		 */
		seen.abstract_origin = fromlen > sizeof(sa_family_t) &&
				       from.sun_path[0] == '\0';
		if (seen.abstract_origin || !strstr(from.sun_path, "/.client."))
			mark_bad("reply address is not a socket file");
		pthread_mutex_unlock(&seen_lock);

		if (!strcmp(seen.data, "version")) {
			/* two parts, as a proc read replies */
			uml_reply(&from, fromlen, "Linux ", 0, 1);
			uml_reply(&from, fromlen, "6.12.0", 0, 0);
		} else if (!strcmp(seen.data, "big")) {
			/* one reply split by mconsole_reply_len: 3 parts */
			uml_reply(&from, fromlen, big, 0, 0);
		} else if (!strcmp(seen.data, "proc x")) {
			uml_reply(&from, fromlen, "a\n", 0, 1);
			uml_reply(&from, fromlen, "\n", 0, 1);
			uml_reply(&from, fromlen, "", 0, 0);
		} else if (!strncmp(seen.data, "echo ", 5)) {
			uml_reply(&from, fromlen, seen.data + 5, 0, 0);
		} else if (!strcmp(seen.data, "halt")) {
			uml_reply(&from, fromlen, "", 0, 0);
		} else if (!strcmp(seen.data, "oversized")) {
			raw_reply(&from, fromlen, 0, 0, 600, "x", 512);
		} else if (!strcmp(seen.data, "overlong")) {
			raw_reply(&from, fromlen, 0, 0, 100, "twenty bytes",
				  20);
		} else if (!strcmp(seen.data, "second-bad")) {
			uml_reply(&from, fromlen, "first part", 0, 1);
			raw_reply(&from, fromlen, 0, 0, 513, "x", 512);
		} else if (!strcmp(seen.data, "flood")) {
			/* 511-byte parts past MCONSOLE_MAX_REPLY, never done */
			struct w_reply r = { .more = 1, .len = 511 };

			memset(r.data, 'f', 511);
			for (int i = 0; i < 2 * MCONSOLE_MAX_REPLY / 511; i++)
				if (sendto(srv, &r, sizeof(r), 0,
					   (const struct sockaddr *)&from,
					   fromlen) < 0)
					break;
		} else if (!strcmp(seen.data, "toolong")) {
			/* a datagram longer than a whole mconsole_reply */
			char d[700] = { 0 };
			struct w_reply *r = (struct w_reply *)d;

			r->len = 5;
			memcpy(r->data, "long", 5);
			send_to(&from, fromlen, d, sizeof(d));
		} else if (!strcmp(seen.data, "short")) {
			raw_reply(&from, fromlen, 0, 0, 0, "", 0);
			send_to(&from, fromlen, "\0\0\0\0\0\0\0\0", 8);
		} else if (!strcmp(seen.data, "nonul")) {
			raw_reply(&from, fromlen, 0, 0, 3, "abc", 3);
		} else if (!strcmp(seen.data, "stranger")) {
			/* a forged reply from another socket must be refused */
			int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
			struct w_reply r = { .len = 7 };

			memcpy(r.data, "forged", 7);
			if (s >= 0 &&
			    sendto(s, &r, 12 + 7, 0, (struct sockaddr *)&from,
				   fromlen) == 19)
				mark_bad("a stranger could send to the client");
			if (s >= 0)
				close(s);
			uml_reply(&from, fromlen, "genuine", 0, 0);
		} else if (!strcmp(seen.data, "fail")) {
			uml_reply(&from, fromlen, "Unknown command", 1, 0);
		} else if (!strcmp(seen.data, "silent")) {
			/* no reply at all */
		} else if (!strcmp(seen.data, "stall")) {
			/* a first part, then nothing */
			uml_reply(&from, fromlen, "part", 0, 1);
		} else if (!strcmp(seen.data, "quit")) {
			uml_reply(&from, fromlen, "bye", 0, 0);
			quit = 1;
		} else {
			uml_reply(&from, fromlen, "Unknown command", 1, 0);
		}
	}
	return NULL;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static long long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000LL +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void check_request(const char *name, const char *cmd)
{
	char n[160];

	pthread_mutex_lock(&seen_lock);
	snprintf(n, sizeof(n), "%s: request well formed", name);
	CHECK(n, !seen.bad[0], "%s", seen.bad);
	snprintf(n, sizeof(n), "%s: request data", name);
	CHECK_STR(n, seen.data, cmd);
	pthread_mutex_unlock(&seen_lock);
}

static int bind_path(const char *path)
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

static void test_cmd(void)
{
	char cmd[600], *out = NULL;
	struct timespec t0;
	long long ms;
	int fds, ret;
	size_t i;

	for (i = 0; i < sizeof(big) - 1; i++)
		big[i] = 'a' + i % 26;
	big[sizeof(big) - 1] = '\0';
	fds = count_fds();

	ret = mconsole_cmd(sock_path, "version", 2000, &out);
	CHECK_INT("two-part reply: returns 0", ret, 0);
	CHECK_STR("two-part reply: parts concatenated", out, "Linux 6.12.0");
	check_request("version", "version");
	pthread_mutex_lock(&seen_lock);
	CHECK_INT("request datagram is a whole mconsole_request", seen.bytes,
		  sizeof(struct w_request));
	pthread_mutex_unlock(&seen_lock);
	free(out);
	out = NULL;

	ret = mconsole_cmd(sock_path, "big", 2000, &out);
	CHECK_INT("1199-byte reply in 3 parts: returns 0", ret, 0);
	CHECK_STR("1199-byte reply in 3 parts: data", out, big);
	free(out);
	out = NULL;

	ret = mconsole_cmd(sock_path, "proc x", 2000, &out);
	CHECK_INT("proc-style reply ending in an empty part", ret, 0);
	CHECK_STR("proc-style reply: data", out, "a\n\n");
	free(out);
	out = NULL;

	ret = mconsole_cmd(sock_path, "halt", 2000, &out);
	CHECK_INT("empty reply: returns 0", ret, 0);
	CHECK_STR("empty reply: empty string", out, "");
	free(out);
	out = NULL;

	ret = mconsole_cmd(sock_path, "nonul", 2000, &out);
	CHECK_INT("reply without a NUL in len: returns 0", ret, 0);
	CHECK_STR("reply without a NUL in len: data", out, "abc");
	free(out);
	out = NULL;

	ret = mconsole_cmd(sock_path, "fail", 2000, &out);
	CHECK_INT("err=1 reply: returns 1", ret, 1);
	CHECK_STR("err=1 reply: message", out, "Unknown command");
	free(out);
	out = NULL;

	/* 511 bytes is the most UML takes; 512 it answers "too large" */
	memset(cmd, 'x', sizeof(cmd));
	memcpy(cmd, "echo ", 5);
	cmd[511] = '\0';
	ret = mconsole_cmd(sock_path, cmd, 2000, &out);
	CHECK_INT("511-byte command: returns 0", ret, 0);
	check_request("511-byte command", cmd);
	CHECK_STR("511-byte command: echoed", out, cmd + 5);
	free(out);
	out = NULL;
	cmd[511] = 'x';
	cmd[512] = '\0';
	out = (char *)1;
	ret = mconsole_cmd(sock_path, cmd, 2000, &out);
	CHECK_INT("512-byte command: -E2BIG", ret, -E2BIG);
	CHECK("512-byte command: *out is NULL", out == NULL, "out=%p", out);

	ret = mconsole_cmd(sock_path, "oversized", 2000, &out);
	CHECK_INT("reply len 600 > 512: -EBADMSG", ret, -EBADMSG);
	CHECK("reply len 600: *out is NULL", out == NULL, "out=%p", out);
	ret = mconsole_cmd(sock_path, "overlong", 2000, &out);
	CHECK_INT("reply len over the bytes received: -EBADMSG", ret, -EBADMSG);
	ret = mconsole_cmd(sock_path, "second-bad", 2000, &out);
	CHECK_INT("bad second part: -EBADMSG", ret, -EBADMSG);
	ret = mconsole_cmd(sock_path, "toolong", 2000, &out);
	CHECK_INT("a 700-byte reply datagram: -EBADMSG", ret, -EBADMSG);
	ret = mconsole_cmd(sock_path, "flood", 20000, &out);
	CHECK_INT("parts past MCONSOLE_MAX_REPLY (1 MiB): -EMSGSIZE", ret,
		  -EMSGSIZE);
	CHECK("flood: *out is NULL", out == NULL, "out=%p", out);
	ret = mconsole_cmd(sock_path, "short", 2000, &out);
	CHECK_INT("12-byte reply with len 0 accepted", ret, 0);
	CHECK_STR("12-byte reply with len 0: empty", out, "");
	free(out);
	out = NULL;

	ret = mconsole_cmd(sock_path, "stranger", 2000, &out);
	CHECK_INT("forged reply from another socket: returns 0", ret, 0);
	CHECK_STR("forged reply from another socket: ignored", out, "genuine");
	check_request("stranger", "stranger");
	free(out);
	out = NULL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = mconsole_cmd(sock_path, "silent", 300, &out);
	ms = ms_since(&t0);
	CHECK_INT("no reply: -ETIMEDOUT", ret, -ETIMEDOUT);
	CHECK("no reply: waited about timeout_ms", ms >= 290 && ms < 2000,
	      "waited %lld ms", ms);
	CHECK("no reply: *out is NULL", out == NULL, "out=%p", out);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = mconsole_cmd(sock_path, "stall", 300, &out);
	ms = ms_since(&t0);
	CHECK_INT("first part then nothing: -ETIMEDOUT", ret, -ETIMEDOUT);
	CHECK("timeout covers the whole exchange", ms >= 290 && ms < 2000,
	      "waited %lld ms", ms);

	/* the 'short' case leaves a stray 8-byte datagram: fresh socket */
	ret = mconsole_cmd(sock_path, "version", 2000, &out);
	CHECK_INT("each call uses its own socket", ret, 0);
	CHECK_STR("each call uses its own socket: data", out, "Linux 6.12.0");
	free(out);
	out = NULL;

	CHECK_INT("no fd leaked by mconsole_cmd", count_fds(), fds);
}

static void test_cmd_errors(void)
{
	char path[200], *out = NULL;
	struct sockaddr_un sun;
	struct timespec t0;
	int fd, filler, i, ret;
	long long ms;

	snprintf(path, sizeof(path), "%s/nothing", dir);
	CHECK_INT("no socket file: -ENOENT",
		  mconsole_cmd(path, "version", 500, &out), -ENOENT);
	/* a socket file left behind by a dead UML */
	snprintf(path, sizeof(path), "%s/dead", dir);
	fd = bind_path(path);
	if (fd >= 0)
		close(fd);
	CHECK_INT("dead socket: -ECONNREFUSED",
		  mconsole_cmd(path, "version", 500, &out), -ECONNREFUSED);
	unlink(path);

	/* a stopped UML: its queue is full and nobody reads it */
	snprintf(path, sizeof(path), "%s/stopped", dir);
	fd = bind_path(path);
	filler = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	for (i = 0; i < 10000; i++)
		if (sendto(filler, "x", 1, MSG_DONTWAIT,
			   (struct sockaddr *)&sun, sizeof(sun)) < 0)
			break;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = mconsole_cmd(path, "version", 300, &out);
	ms = ms_since(&t0);
	CHECK_INT("receiver's queue full: -ETIMEDOUT", ret, -ETIMEDOUT);
	CHECK("receiver's queue full: send honours the timeout",
	      ms >= 290 && ms < 2000, "waited %lld ms", ms);
	close(filler);
	close(fd);
	unlink(path);

	memset(path, 'p', sizeof(path));
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	CHECK_INT("socket path too long: -ENAMETOOLONG",
		  mconsole_cmd(path, "version", 500, &out), -ENAMETOOLONG);
}

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
	pthread_t th;
	char *out = NULL;
	int ret;

	snprintf(dir, sizeof(dir), "/tmp/umnet-mc-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(sock_path, sizeof(sock_path), "%s/mconsole", dir);
	srv = bind_path(sock_path);
	if (srv < 0 || pthread_create(&th, NULL, responder, NULL)) {
		perror("responder");
		return 1;
	}

	test_cmd();
	test_cmd_errors();

	ret = mconsole_cmd(sock_path, "quit", 2000, &out);
	CHECK_INT("responder stopped", ret, 0);
	free(out);
	pthread_join(th, NULL);
	close(srv);
	unlink(sock_path);

	test_notify();

	CHECK_INT("temp dir removed", rmdir(dir), 0);
	UNIT_DONE();
}
