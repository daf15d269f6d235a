// SPDX-License-Identifier: GPL-2.0
/*
 * Host side of the exec protocol (agent_proto.h): open the node's agent pts,
 * send one X request under a fresh nonce, relay the o/e frames carrying that
 * nonce and return the exit code of the x frame. Everything else on the line
 * (stale frames of earlier clients, echoes, noise) is skipped.
 */
#include "agent.h"
#include "agent_proto.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define POLL_MAX_MS 1000000000 /* the longest single poll() */
#define EXIT_CODE_MAX 255
#define KILL_SEND_MS 1000 /* to send the kill request */
#define KILL_GRACE_MS 3000 /* for what a killed command still wrote */

/* milliseconds left until deadline (-1 when there is none), at least 0 */
static int time_left(long long deadline)
{
	long long left;

	if (deadline < 0)
		return -1;
	left = deadline - now_ms();
	if (left < 0)
		return 0;
	return left > POLL_MAX_MS ? POLL_MAX_MS : (int)left;
}

/*
 * Write all of buf to fd (blocking or not), waiting at most until deadline.
 * Returns 0, -ETIMEDOUT or -errno.
 */
static int write_all(int fd, const char *buf, size_t n, long long deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	ssize_t w;
	int r;

	while (n) {
		w = write(fd, buf, n);
		if (w > 0) {
			buf += w;
			n -= w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w == 0 || errno != EAGAIN)
			return w == 0 ? -EIO : -errno;
		r = poll(&p, 1, time_left(deadline));
		if (r == 0)
			return -ETIMEDOUT;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
	return 0;
}

static int make_nonce(char *nonce)
{
	unsigned char r[AGENT_NONCE_LEN / 2];
	ssize_t n;
	size_t i;

	do
		n = getrandom(r, sizeof(r), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n != sizeof(r))
		return -EIO;
	for (i = 0; i < sizeof(r); i++)
		snprintf(nonce + 2 * i, 3, "%02x", r[i]);
	return 0;
}

/* "\nX <nonce> <b64>\n" in a malloc'd buffer; -E2BIG or -ENOMEM */
static int build_request(const char *nonce, char *const argv[], char **req,
			 size_t *len)
{
	size_t raw = 0, enc, i, off = 0;
	char *args = NULL, *buf = NULL;
	int ret = -ENOMEM;

	if (!argv || !argv[0])
		return -EINVAL;
	for (i = 0; argv[i]; i++)
		raw += strlen(argv[i]) + 1;
	if (raw > AGENT_LINE_MAX)
		return -E2BIG;
	enc = b64_encoded_len(raw);
	/* the agent takes lines of up to AGENT_LINE_MAX bytes, '\n' excluded */
	if (2 + AGENT_NONCE_LEN + 1 + enc > AGENT_LINE_MAX)
		return -E2BIG;
	args = malloc(raw);
	buf = malloc(1 + 2 + AGENT_NONCE_LEN + 1 + enc + 2);
	if (!args || !buf)
		goto cleanup;
	for (i = 0; argv[i]; i++) {
		size_t l = strlen(argv[i]) + 1;

		memcpy(args + off, argv[i], l);
		off += l;
	}
	off = (size_t)sprintf(buf, "\nX %s ", nonce);
	off += b64_encode(args, raw, buf + off);
	buf[off++] = '\n';
	*req = buf;
	*len = off;
	buf = NULL;
	ret = 0;
cleanup:
	free(args);
	free(buf);
	return ret;
}

static int set_raw(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t) < 0)
		return -errno;
	cfmakeraw(&t);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &t) < 0)
		return -errno;
	return 0;
}

/*
 * One line from the agent (without '\n'). Returns 1 when it was our x frame
 * (*status set), 0 to go on, -errno when relaying failed.
 */
int agent_reply_decode(const char *nonce, const char *line, size_t len,
		       void *dec, size_t *n)
{
	const char *data;
	size_t dlen;
	ssize_t r;
	unsigned long code;
	char kind;

	if (len < AGENT_NONCE_LEN + 4 || len >= AGENT_LINE_MAX ||
	    memcmp(line, nonce, AGENT_NONCE_LEN) ||
	    line[AGENT_NONCE_LEN] != ' ' || line[AGENT_NONCE_LEN + 2] != ' ')
		return 0;
	data = line + AGENT_NONCE_LEN + 3;
	dlen = len - (AGENT_NONCE_LEN + 3);
	kind = line[AGENT_NONCE_LEN + 1];
	if (kind == 'x') {
		if (parse_uint(data, 0, EXIT_CODE_MAX, &code))
			return 0;
		*n = code;
		return 'x';
	}
	if (kind != 'o' && kind != 'e')
		return 0;
	r = b64_decode(data, dlen, dec);
	if (r < 0)
		return 0; /* damaged frame: skip it */
	*n = (size_t)r;
	return kind;
}

static int handle_line(const char *nonce, char *line, size_t len, int out_fd,
		       int err_fd, char *dec, int *status,
		       const struct agent_opts *o)
{
	size_t n = 0;
	int kind, fd;

	kind = agent_reply_decode(nonce, line, len, dec, &n);
	if (kind == 'x') {
		*status = (int)n;
		return 1;
	}
	if (kind != 'o' && kind != 'e')
		return 0;
	if (kind == 'o' && o && o->out)
		return n ? o->out(o->arg, dec, n) : 0;
	fd = kind == 'o' ? out_fd : err_fd;
	if (fd < 0 || n == 0)
		return 0;
	return write_all(fd, dec, n, -1);
}

/* "K <nonce>\n": the agent kills the command (SIGKILL to its group) */
static void send_kill_req(int fd, const char *nonce)
{
	char k[AGENT_NONCE_LEN + 4];

	snprintf(k, sizeof(k), "K %s\n", nonce);
	write_all(fd, k, strlen(k), now_ms() + KILL_SEND_MS);
}

int agent_exec(const char *tty_path, char *const argv[], int out_fd, int err_fd,
	       int timeout_ms, int *status)
{
	return agent_exec_opts(tty_path, argv, out_fd, err_fd, timeout_ms,
			       status, NULL);
}

int agent_open(const char *tty_path)
{
	int fd, ret;

	fd = open(tty_path, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	ret = set_raw(fd);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	/* whatever the agent wrote before we came is not for us */
	tcflush(fd, TCIFLUSH);
	return fd;
}

int agent_exec_opts(const char *tty_path, char *const argv[], int out_fd,
		    int err_fd, int timeout_ms, int *status,
		    const struct agent_opts *o)
{
	int fd = agent_open(tty_path);

	if (fd < 0)
		return fd;
	return agent_exec_fd(fd, argv, out_fd, err_fd, timeout_ms, status, o);
}

int agent_exec_fd(int fd, char *const argv[], int out_fd, int err_fd,
		  int timeout_ms, int *status, const struct agent_opts *o)
{
	char nonce[AGENT_NONCE_LEN + 1], *req = NULL, *buf = NULL, *dec = NULL;
	long long deadline = timeout_ms > 0 ? now_ms() + timeout_ms : -1;
	size_t reqlen = 0, len = 0, start, i;
	int ret, skipping = 0, send_kill = 0, r, cancelled = 0, timed_out = 0;
	ssize_t n;

	ret = make_nonce(nonce);
	if (ret < 0)
		goto cleanup;
	ret = build_request(nonce, argv, &req, &reqlen);
	if (ret < 0)
		goto cleanup;
	buf = malloc(AGENT_LINE_MAX + 1);
	dec = malloc(AGENT_LINE_MAX / 4 * 3 + 3);
	if (!buf || !dec) {
		ret = -ENOMEM;
		goto cleanup;
	}

	ret = write_all(fd, req, reqlen, deadline);
	if (ret < 0)
		goto cleanup;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (o && o->cancel && *o->cancel && !cancelled) {
			/* kill it, then relay what it still wrote */
			cancelled = 1;
			send_kill_req(fd, nonce);
			deadline = now_ms() + KILL_GRACE_MS;
		}
		r = poll(&p, 1, time_left(deadline));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			goto cleanup;
		}
		if (r == 0 && !timed_out && !cancelled) {
			/*
			 * Kill it, and stay until the agent says it is
			 * gone (bounded): a kill request UML reads only
			 * after we closed the pts makes it read EIO, hang
			 * the tty up and replace the pts under the next
			 * exec.
			 */
			timed_out = 1;
			send_kill_req(fd, nonce);
			deadline = now_ms() + KILL_GRACE_MS;
			continue;
		}
		if (r == 0) {
			ret = -ETIMEDOUT;
			goto cleanup;
		}
		n = read(fd, buf + len, AGENT_LINE_MAX - len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			/* EIO: UML closed its end (the node is gone) */
			ret = n == 0 ? -EIO : -errno;
			goto cleanup;
		}
		start = 0;
		for (i = len; i < len + n; i++) {
			if (buf[i] != '\n')
				continue;
			buf[i] = '\0';
			r = skipping ? 0
				     : handle_line(nonce, buf + start,
						   i - start, out_fd, err_fd,
						   dec, status, o);
			skipping = 0;
			start = i + 1;
			if (r == 1) {
				ret = timed_out ? -ETIMEDOUT : 0;
				goto cleanup;
			}
			if (r < 0) {
				ret = r;
				send_kill = 1;
				goto cleanup;
			}
		}
		len += n;
		memmove(buf, buf + start, len - start);
		len -= start;
		if (len == AGENT_LINE_MAX) {
			/* no frame is that long: drop it */
			skipping = 1;
			len = 0;
		}
	}
cleanup:
	if (send_kill && !cancelled)
		/* best effort: the agent also kills it when the pts closes */
		send_kill_req(fd, nonce);
	close(fd);
	free(req);
	free(buf);
	free(dec);
	return ret;
}
