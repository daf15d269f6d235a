// SPDX-License-Identifier: GPL-2.0
/*
 * node.conf's programs inside the node: run one to its end with its output
 * on the console (route, nft, run, file for a tree), or start one in the
 * background (daemon) and say when it ends. Part of init (static, PID 1):
 * nothing here may exit the process, and every descriptor is close-on-exec.
 */
#include "nodeconf_priv.h"
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
#include <unistd.h>

#define MAX_DAEMONS 32 /* daemons whose end init reports */
#define DAEMON_CMD_MAX 64 /* how much of a daemon's command it reports */
#define LOG_LINE_MAX 1024 /* one node_log line */
#define OUT_LINE_MAX 256 /* a line of a program's stderr kept for msg */
#define OUT_CHUNK 4096 /* read from a program's output at a time */
#define STATUS_MAX 64 /* "killed by signal 9 (Killed)" */

char *const node_env[] = {
	"PATH=" NODE_PATH,
	"HOME=/root",
	"TERM=linux",
	NULL,
};

static struct {
	pid_t pid;
	char cmd[DAEMON_CMD_MAX];
} daemons[MAX_DAEMONS];

void node_log(const char *fmt, ...)
{
	char buf[LOG_LINE_MAX];
	va_list ap;
	int n, m;

	n = snprintf(buf, sizeof(buf), "umnet-init: ");
	va_start(ap, fmt);
	m = vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2; /* cut: the line still ends */
	buf[n++] = '\n';
	if (write(STDOUT_FILENO, buf, n) < 0)
		return; /* nowhere else to say it */
}

/* stderr of a command, scanned for the line to report */
struct out_scan {
	char cur[OUT_LINE_MAX];
	size_t curlen; /* the rest of an overlong line is dropped */
	char error[OUT_LINE_MAX]; /* first line mentioning "error" */
	char last[OUT_LINE_MAX]; /* last non-empty line */
};

static void scan_line_end(struct out_scan *sc)
{
	char *p = sc->cur;

	sc->cur[sc->curlen] = '\0';
	sc->curlen = 0;
	while (nodeconf_is_space(*p))
		p++;
	nodeconf_trim_end(p);
	if (!*p)
		return;
	/* same sizes: these copy whole */
	if (!sc->error[0] && strcasestr(p, "error"))
		strcpy(sc->error, p);
	strcpy(sc->last, p);
}

static void scan_output(struct out_scan *sc, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = buf[i];

		if (c == '\n') {
			scan_line_end(sc);
		} else if (sc->curlen < sizeof(sc->cur) - 1) {
			/* keep the message printable, one line */
			sc->cur[sc->curlen++] = c < ' ' || c == 0x7f ? ' ' : c;
		}
	}
}

static void spawn_attr_defaults(posix_spawnattr_t *at, short flags)
{
	sigset_t all, none;

	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(at, &none);
	posix_spawnattr_setsigdefault(at, &all);
	posix_spawnattr_setflags(at, flags | POSIX_SPAWN_SETSIGMASK |
					     POSIX_SPAWN_SETSIGDEF);
}

static void describe_status(int status, char *msg, size_t len)
{
	if (WIFEXITED(status))
		snprintf(msg, len, "exited with status %d",
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(msg, len, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(msg, len, "wait status 0x%x", status);
}

/*
 * Copy what fd has to the console (scanning it when sc is set). Reads one
 * buffer, or everything available when drain is set. Closes *fd at EOF.
 */
static void copy_out(int *fd, struct out_scan *sc, int drain)
{
	char buf[OUT_CHUNK];
	ssize_t n;

	do {
		n = pipe_read(fd, buf, sizeof(buf));
		if (!n)
			return;
		if (write(STDOUT_FILENO, buf, n) < 0) {
			/* the console is gone: keep scanning anyway */
		}
		if (sc)
			scan_output(sc, buf, n);
	} while (drain);
}

/*
 * Copy the output of pid until EOF, but stop once it has exited: a
 * background process it left behind may hold the pipes open forever.
 * Without pidfds (old kernel) read to EOF.
 */
static void follow_output(pid_t pid, int *out, int *err, struct out_scan *sc)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0), i;

	while (*out >= 0 || *err >= 0) {
		struct pollfd p[3] = {
			{ .fd = *out, .events = POLLIN },
			{ .fd = *err, .events = POLLIN },
			{ .fd = pidfd, .events = POLLIN },
		};

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[2].revents) {
			for (i = 0; i < 2; i++) {
				int *fd = i ? err : out;

				if (*fd < 0)
					continue;
				fcntl(*fd, F_SETFL, O_NONBLOCK);
				copy_out(fd, i ? sc : NULL, 1);
			}
			break;
		}
		if (p[0].revents)
			copy_out(out, NULL, 0);
		if (p[1].revents)
			copy_out(err, sc, 0);
	}
	if (sc->curlen)
		scan_line_end(sc);
	if (pidfd >= 0)
		close(pidfd);
}

int node_run(char *const argv[], char *msg, size_t len)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	struct out_scan sc;
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, ret = -1;
	int e, status;
	pid_t pid = -1;

	memset(&sc, 0, sizeof(sc));
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		nodeconf_err(msg, len, "pipe: %m");
		goto cleanup;
	}
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	spawn_attr_defaults(&at, 0);
	e = posix_spawn(&pid, argv[0], &fa, &at, argv, node_env);
	if (e) {
		pid = -1;
		nodeconf_err(msg, len, "cannot execute %s: %s", argv[0],
			     strerror(e));
		goto cleanup;
	}
	close(out[1]);
	close(err[1]);
	out[1] = err[1] = -1;
	follow_output(pid, &out[0], &err[0], &sc);

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			nodeconf_err(msg, len, "waitpid: %m");
			goto cleanup;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		ret = 0;
	} else if (sc.error[0] || sc.last[0]) {
		/* what it said on stderr: its first error, else its last word */
		nodeconf_err(msg, len, "%s", sc.error[0] ? sc.error : sc.last);
	} else {
		char why[STATUS_MAX];

		describe_status(status, why, sizeof(why));
		nodeconf_err(msg, len, "%s %s", argv[0], why);
	}
cleanup:
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	pipe_close(out);
	pipe_close(err);
	return ret;
}

/* remember pid so that init can say when it ends */
static void daemon_track(pid_t pid, const char *cmd)
{
	int i;

	for (i = 0; i < MAX_DAEMONS; i++) {
		if (!daemons[i].pid) {
			daemons[i].pid = pid;
			/* the start of the command is enough to name it */
			snprintf(daemons[i].cmd, sizeof(daemons[i].cmd), "%s",
				 cmd);
			return;
		}
	}
	node_log("daemon '%.*s' (pid %d): more than %d daemons, its end "
		 "will not be reported",
		 DAEMON_CMD_MAX, cmd, (int)pid, MAX_DAEMONS);
}

int node_spawn_daemon(const char *cmd, char *msg, size_t len)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	char *script = NULL, *argv[4];
	int ret = -1, err;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	if (asprintf(&script, "exec %s", cmd) < 0) {
		script = NULL;
		nodeconf_err(msg, len, "out of memory");
		goto cleanup;
	}
	argv[0] = NODE_SH;
	argv[1] = "-c";
	argv[2] = script;
	argv[3] = NULL;
	/* its own session, stdout and stderr on the console */
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	spawn_attr_defaults(&at, POSIX_SPAWN_SETSID);
	err = posix_spawn(&pid, argv[0], &fa, &at, argv, node_env);
	if (err) {
		nodeconf_err(msg, len, "cannot execute %s: %s", argv[0],
			     strerror(err));
		goto cleanup;
	}
	daemon_track(pid, cmd);
	ret = 0;
cleanup:
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	free(script);
	return ret;
}

int nodeconf_reaped(pid_t pid, int status)
{
	char why[STATUS_MAX];
	int i;

	for (i = 0; i < MAX_DAEMONS; i++) {
		if (daemons[i].pid != pid)
			continue;
		daemons[i].pid = 0;
		describe_status(status, why, sizeof(why));
		node_log("daemon '%s' (pid %d) %s", daemons[i].cmd, (int)pid,
			 why);
		return 1;
	}
	return 0;
}
