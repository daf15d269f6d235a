// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol-level tests of the mconsole client: a responder thread plays
 * UML's side of arch/um/drivers/mconsole_user.c (recvfrom, then sendto the
 * origin, replies split as mconsole_reply_len() splits them) and checks the
 * bytes of every request. The notify socket is test_mconsole_notify.c; the
 * tests against a real UML are in shell.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "mconsole_unit.h"
#include "unit.h"

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

/* mconsole_cmd with a 300 ms timeout; *ms: how long it took */
static int timed_cmd(const char *path, const char *cmd, char **out,
		     long long *ms)
{
	struct timespec t0, t;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = mconsole_cmd(path, cmd, 300, out);
	clock_gettime(CLOCK_MONOTONIC, &t);
	*ms = (t.tv_sec - t0.tv_sec) * 1000LL +
	      (t.tv_nsec - t0.tv_nsec) / 1000000;
	return ret;
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

static void test_cmd(void)
{
	/* replies the client takes: what it returns and hands back */
	static const struct {
		const char *cmd, *name_ret, *name_out, *out;
		int ret;
	} replies[] = {
		{ "big", "1199-byte reply in 3 parts: returns 0",
		  "1199-byte reply in 3 parts: data", big, 0 },
		{ "proc x", "proc-style reply ending in an empty part",
		  "proc-style reply: data", "a\n\n", 0 },
		{ "halt", "empty reply: returns 0", "empty reply: empty string",
		  "", 0 },
		{ "nonul", "reply without a NUL in len: returns 0",
		  "reply without a NUL in len: data", "abc", 0 },
		{ "fail", "err=1 reply: returns 1", "err=1 reply: message",
		  "Unknown command", 1 },
	};
	/* replies it refuses with -EBADMSG */
	static const struct {
		const char *cmd, *name;
	} bad[] = {
		{ "overlong", "reply len over the bytes received: -EBADMSG" },
		{ "second-bad", "bad second part: -EBADMSG" },
		{ "toolong", "a 700-byte reply datagram: -EBADMSG" },
	};
	char cmd[600], *out = NULL;
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

	for (i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		ret = mconsole_cmd(sock_path, replies[i].cmd, 2000, &out);
		CHECK_INT(replies[i].name_ret, ret, replies[i].ret);
		CHECK_STR(replies[i].name_out, out, replies[i].out);
		free(out);
		out = NULL;
	}

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
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(bad[i].name,
			  mconsole_cmd(sock_path, bad[i].cmd, 2000, &out),
			  -EBADMSG);
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

	ret = timed_cmd(sock_path, "silent", &out, &ms);
	CHECK_INT("no reply: -ETIMEDOUT", ret, -ETIMEDOUT);
	CHECK("no reply: waited about timeout_ms", ms >= 290 && ms < 2000,
	      "waited %lld ms", ms);
	CHECK("no reply: *out is NULL", out == NULL, "out=%p", out);

	ret = timed_cmd(sock_path, "stall", &out, &ms);
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
	ret = timed_cmd(path, "version", &out, &ms);
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

	CHECK_INT("temp dir removed", rmdir(dir), 0);
	UNIT_DONE();
}
