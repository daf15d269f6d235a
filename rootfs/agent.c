// SPDX-License-Identifier: GPL-2.0
/*
 * umnet-agent: runs commands for `umnet exec` inside a node, speaking the
 * line protocol of agent_proto.h on a tty (default tty2, a host pts).
 *
 *   umnet-agent [TTY]
 *
 * The tty is put in raw mode. A command runs in its own process group with
 * stdin from /dev/null and its stdout and stderr on pipes, which are relayed
 * as base64 frames while the tty is watched for a kill request. When the
 * host closes its end of the pts, UML hangs the tty up (reads return 0,
 * writes EIO): the agent then kills a running command, closes the tty and
 * opens it again, which makes UML allocate a new host pts.
 * Started (and restarted) by umnet-init; logs on its stdout, the console.
 * With UMNET_READY_FD=N in its environment it writes a byte to fd N once the
 * tty is open, so init can tell the host "ready" only when exec works.
 */
#include "agent_proto.h"
#include "nodeconf.h"
#include "pipefd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define AGENT_PATH_ENV \
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define REOPEN_DELAY_MS 10 /* the first wait for the tty, doubled ... */
#define REOPEN_DELAY_MAX_MS 5000 /* ... up to this */
#define POLL_RETRY_MS 100 /* after poll failed */
#define LOG_LINE_MAX 512 /* a log line or a refusal, with its newline */
/* "<nonce> o <b64 of AGENT_CHUNK bytes>\n" and a NUL */
#define FRAME_MAX (AGENT_NONCE_LEN + 3 + 4 * AGENT_CHUNK / 3 + 2)
#define EXIT_CANNOT_RUN 127 /* as a shell says it */
#define EXIT_SIGNAL_BASE 128 /* killed by signal N: 128 + N */
#define EXIT_UNKNOWN 255

static char *agent_env[] = {
	AGENT_PATH_ENV,
	"HOME=/root",
	"TERM=dumb",
	NULL,
};

extern char **environ;

/* the tty and what has been read from it */
static int tty = -1;
static char inbuf[AGENT_LINE_MAX + 2]; /* a longest line, its newline, NUL */
static size_t inlen;
static int skipping; /* discarding an overlong line up to its '\n' */

/* the running command */
struct job {
	char nonce[AGENT_NONCE_LEN + 1];
	pid_t pid; /* 0 when idle */
	int pidfd;
	int out, err; /* read ends, -1 at EOF */
	int killed;
};

static struct job job = { .pidfd = -1, .out = -1, .err = -1 };

/* a request that arrived while a command was still running */
static char pending[AGENT_LINE_MAX + 1];

static void agent_log(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* "umnet-agent: <message>\n" into buf (cut to fit); returns its length */
static int log_line(char buf[LOG_LINE_MAX], const char *fmt, va_list ap)
{
	int n = snprintf(buf, LOG_LINE_MAX, "umnet-agent: "), m;

	m = vsnprintf(buf + n, LOG_LINE_MAX - n - 1, fmt, ap);
	if (m > 0)
		n += m;
	if (n > LOG_LINE_MAX - 2)
		n = LOG_LINE_MAX - 2;
	buf[n++] = '\n';
	return n;
}

static void agent_log(const char *fmt, ...)
{
	char buf[LOG_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = log_line(buf, fmt, ap);
	va_end(ap);
	if (write(STDOUT_FILENO, buf, n) < 0)
		return;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int open_tty(const char *path)
{
	struct termios t;
	int fd;

	fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

/* write all of buf to the tty; -1 when the tty is gone (hung up) */
static int tty_write(const char *buf, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(tty, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= w;
	}
	return 0;
}

static int send_frame(const char *nonce, char kind, const void *data, size_t n)
{
	char frame[FRAME_MAX];
	size_t len;

	len = snprintf(frame, sizeof(frame), "%s %c ", nonce, kind);
	len += b64_encode(data, n, frame + len);
	frame[len++] = '\n';
	return tty_write(frame, len);
}

static int send_exit(const char *nonce, int code)
{
	char line[64];
	int n;

	n = snprintf(line, sizeof(line), "%s x %d\n", nonce, code);
	return tty_write(line, n);
}

/* a request that cannot run: a message on stderr and 127 */
static int refuse(const char *nonce, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int refuse(const char *nonce, const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = log_line(msg, fmt, ap);
	va_end(ap);
	if (send_frame(nonce, 'e', msg, n) < 0)
		return -1;
	return send_exit(nonce, EXIT_CANNOT_RUN);
}

/*
 * Start the command of "X <nonce> <b64>" (line without its '\n'). Returns -1
 * when the tty is gone, else 0 (also when the request was refused).
 */
static int start_job(char *line)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	char *nonce = line + 2, *b64, *args = NULL, **argv = NULL;
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, ret = 0, e;
	sigset_t all, none;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	b64 = nonce + AGENT_NONCE_LEN + 1;
	nonce[AGENT_NONCE_LEN] = '\0';

	e = agent_request_argv(b64, &args, &argv);
	if (e < 0) {
		ret = refuse(nonce, "%s",
			     e == -ENOMEM   ? "out of memory"
			     : e == -EINVAL ? "empty command name"
					    : "malformed request");
		goto cleanup;
	}

	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		ret = refuse(nonce, "pipe: %s", strerror(errno));
		goto cleanup;
	}
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
					      POSIX_SPAWN_SETSIGMASK |
					      POSIX_SPAWN_SETSIGDEF);
	/* posix_spawnp searches our PATH, which is the protocol's PATH */
	e = posix_spawnp(&job.pid, argv[0], &fa, &at, argv, environ);
	if (e) {
		job.pid = 0;
		ret = refuse(nonce, "cannot execute %s: %s", argv[0],
			     strerror(e));
		goto cleanup;
	}
	memcpy(job.nonce, nonce, sizeof(job.nonce));
	job.killed = 0;
	job.out = out[0];
	job.err = err[0];
	out[0] = err[0] = -1;
	job.pidfd = syscall(SYS_pidfd_open, job.pid, 0);
cleanup:
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	pipe_close(out);
	pipe_close(err);
	free(argv);
	free(args);
	return ret;
}

static void kill_job(void)
{
	if (!job.pid || job.killed)
		return;
	kill(-job.pid, SIGKILL);
	kill(job.pid, SIGKILL);
	job.killed = 1;
}

/*
 * Relay what one pipe has: one chunk, or everything (non-blocking) when the
 * command has exited. Returns -1 when the tty is gone.
 */
static int relay(int *fd, char kind, int drain)
{
	char buf[AGENT_CHUNK];
	ssize_t n;

	if (drain)
		fcntl(*fd, F_SETFL, O_NONBLOCK);
	do {
		n = pipe_read(fd, buf, sizeof(buf));
		if (!n)
			return 0;
		if (send_frame(job.nonce, kind, buf, n) < 0)
			return -1;
	} while (drain);
	return 0;
}

/* the command ended: relay what is left, reap it, send x */
static int finish_job(void)
{
	int status, code, ret = 0;

	if (job.out >= 0 && relay(&job.out, 'o', 1) < 0)
		ret = -1;
	if (job.err >= 0 && relay(&job.err, 'e', 1) < 0)
		ret = -1;
	while (waitpid(job.pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		code = EXIT_SIGNAL_BASE + WTERMSIG(status);
	else
		code = EXIT_UNKNOWN;
	if (ret == 0)
		ret = send_exit(job.nonce, code);
	if (job.out >= 0)
		close(job.out);
	if (job.err >= 0)
		close(job.err);
	if (job.pidfd >= 0)
		close(job.pidfd);
	job.out = job.err = job.pidfd = -1;
	job.pid = 0;
	return ret;
}

/* one request line (without '\n'); -1 when the tty is gone */
static int handle_line(char *line, size_t len)
{
	int kind = agent_request_kind(line, len);

	if (kind == 'X') {
		if (job.pid) {
			/*
			 * Execs are serialized by the host, so the client of
			 * the running command is gone: kill it, run this next.
			 */
			memcpy(pending, line, len + 1);
			kill_job();
			return 0;
		}
		return start_job(line);
	}
	if (kind == 'K') {
		if (job.pid && !memcmp(job.nonce, line + 2, AGENT_NONCE_LEN))
			kill_job();
	}
	/* anything else: noise, an echo, a stale line */
	return 0;
}

/* read from the tty and handle complete lines; -1 when it is gone */
static int tty_input(void)
{
	size_t start = 0, i;
	ssize_t n;

	n = read(tty, inbuf + inlen, sizeof(inbuf) - 1 - inlen);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	inlen += n;
	for (i = inlen - n; i < inlen; i++) {
		if (inbuf[i] != '\n')
			continue;
		inbuf[i] = '\0';
		if (!skipping && handle_line(inbuf + start, i - start) < 0)
			return -1;
		skipping = 0;
		start = i + 1;
	}
	memmove(inbuf, inbuf + start, inlen - start);
	inlen -= start;
	if (inlen == sizeof(inbuf) - 1) {
		/* longer than any valid request: drop it */
		skipping = 1;
		inlen = 0;
	}
	return 0;
}

/* serve requests until the tty goes away */
static void serve(void)
{
	for (;;) {
		struct pollfd p[4] = {
			{ .fd = tty, .events = POLLIN },
			{ .fd = job.out, .events = POLLIN },
			{ .fd = job.err, .events = POLLIN },
			{ .fd = job.pidfd, .events = POLLIN },
		};
		int exited = 0;

		if (job.pid && job.pidfd < 0 && job.out < 0 && job.err < 0)
			exited = 1; /* no pidfd: the end of output it is */
		if (!exited && poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			agent_log("poll: %m");
			sleep_ms(POLL_RETRY_MS);
			continue;
		}
		if (p[3].revents)
			exited = 1;
		if (exited) {
			if (finish_job() < 0)
				return;
			if (pending[0]) {
				char line[sizeof(pending)];

				memcpy(line, pending, sizeof(line));
				pending[0] = '\0';
				if (start_job(line) < 0)
					return;
			}
			continue;
		}
		if (p[1].revents && relay(&job.out, 'o', 0) < 0)
			return;
		if (p[2].revents && relay(&job.err, 'e', 0) < 0)
			return;
		if (p[0].revents && tty_input() < 0)
			return;
	}
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : NODE_AGENT_TTY;
	const char *rfd = getenv("UMNET_READY_FD");
	int delay = REOPEN_DELAY_MS, fails = 0, ready_fd = -1;

	/* init waits for a byte on this fd before it tells the host "ready" */
	if (rfd) {
		ready_fd = atoi(rfd);
		fcntl(ready_fd, F_SETFD, FD_CLOEXEC);
	}
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	environ = agent_env;
	if (chdir("/root") < 0 && chdir("/") < 0)
		agent_log("chdir: %m");

	for (;;) {
		tty = open_tty(path);
		if (tty < 0) {
			if (fails++ == 0)
				agent_log("cannot open %s: %s", path,
					  strerror(-tty));
			sleep_ms(delay);
			if (delay < REOPEN_DELAY_MAX_MS)
				delay *= 2;
			continue;
		}
		fails = 0;
		delay = REOPEN_DELAY_MS;
		if (ready_fd >= 0) {
			if (write(ready_fd, "1", 1) < 0)
				agent_log("ready fd: %m");
			close(ready_fd);
			ready_fd = -1;
		}
		inlen = 0;
		skipping = 0;
		serve();

		/* hung up: the host closed its pts; the command has no client */
		if (job.pid) {
			kill_job();
			finish_job();
		}
		pending[0] = '\0';
		close(tty);
		tty = -1;
		sleep_ms(REOPEN_DELAY_MS);
	}
}
