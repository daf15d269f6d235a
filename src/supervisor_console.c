// SPDX-License-Identifier: GPL-2.0
/*
 * A node's console (supervisor.h): the holder process that writes UML's
 * console to a capped log and keeps the console ptys open, stopping it,
 * and the console's last lines for error messages.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jail.h"
#include "supervisor.h"

/*
 * The console log: what UML writes on its console (a pipe), kept to at
 * most CONSOLE_LOG_MAX bytes. When full, the newer half is kept and a line
 * says what was dropped, so a flooding guest costs the host a bounded
 * amount and the last messages (a panic) are always there.
 */
#define CONSOLE_LOG_MAX (4 * 1024 * 1024)

static void log_append(int logfd, const char *buf, size_t len, off_t *size)
{
	static char tail[CONSOLE_LOG_MAX / 2];
	static const char mark[] = "[umnet: console log over 4 MiB: "
				   "older lines dropped]\n";
	ssize_t n;

	if (*size + (off_t)len > CONSOLE_LOG_MAX) {
		n = pread(logfd, tail, sizeof(tail), *size - sizeof(tail));
		if (n > 0) {
			/* from the first whole line on */
			char *nl = memchr(tail, '\n', n);
			size_t skip = nl ? (size_t)(nl + 1 - tail) : 0;

			if (pwrite(logfd, mark, sizeof(mark) - 1, 0) < 0 ||
			    pwrite(logfd, tail + skip, n - skip,
				   sizeof(mark) - 1) < 0)
				return;
			*size = sizeof(mark) - 1 + n - skip;
			if (ftruncate(logfd, *size) < 0)
				return;
		}
	}
	n = pwrite(logfd, buf, len, *size);
	if (n > 0)
		*size += n;
}

/*
 * The holder: copies the console pipe into the log until every UML
 * process has closed it; once told the node is ready (its pid on
 * ready_fd), it also keeps the host ends of con1 and con2 open, reopening
 * a console whose pts changed (after a reboot).
 */
static void holder_main(const struct node_paths *np, int console, int ready,
			int logfd)
{
	char path[2][64] = { "", "" }, cur[64], buf[8192];
	int fds[2] = { -1, -1 }, i;
	bool held = false;
	off_t size = lseek(logfd, 0, SEEK_END);

	if (size < 0)
		size = 0;
	for (;;) {
		struct pollfd p[2] = { { console, POLLIN, 0 },
				       { ready, POLLIN, 0 } };
		int r = poll(p, ready >= 0 ? 2 : 1, held ? 2000 : -1);
		ssize_t n;

		if (r < 0 && errno != EINTR)
			break;
		if (p[0].revents) {
			n = read(console, buf, sizeof(buf));
			if (n == 0 ||
			    (n < 0 && errno != EINTR && errno != EAGAIN))
				break; /* UML and its helpers are gone */
			if (n > 0)
				log_append(logfd, buf, n, &size);
		}
		if (ready >= 0 && p[1].revents) {
			char c;

			if (read(ready, &c, 1) == 1)
				held = true;
			close(ready);
			ready = -1;
		}
		if (!held)
			continue;
		/* (re)open each console whose pts changed, e.g. after reboot */
		for (i = 0; i < 2; i++) {
			if (node_pts(np, i + 1, cur, sizeof(cur)) ||
			    !strcmp(cur, path[i]))
				continue;
			if (fds[i] >= 0)
				close(fds[i]);
			fds[i] = open(cur, O_RDWR | O_NOCTTY | O_CLOEXEC);
			strscpy(path[i], fds[i] >= 0 ? cur : "",
				sizeof(path[i]));
		}
	}
	_exit(0);
}

int uml_holder_start(const struct node_paths *np, const struct jail *j,
		     int *console_wr, int *ready_wr, struct err *e)
{
	int con[2] = { -1, -1 }, rdy[2] = { -1, -1 }, logfd = -1, ret = 0, n;
	unsigned long long st = 0;
	char buf[64];
	pid_t child;

	logfd = open(np->console, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (logfd < 0) {
		ret = errf(e, -errno, "%s: %m", np->console);
		goto cleanup;
	}
	child = pipes_fork(con, rdy, e);
	if (child < 0) {
		ret = child;
		goto cleanup;
	}
	if (child == 0) {
		int keep[3] = { con[0], rdy[0], logfd }, nullfd;
		struct jail jj = *j;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setsid();
		close(con[1]);
		close(rdy[1]);
		nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (nullfd >= 0) {
			dup2(nullfd, 0);
			dup2(nullfd, 1);
			dup2(nullfd, 2);
		}
		signal(SIGPIPE, SIG_IGN);
		prctl(PR_SET_NAME, "umnet-holder");
		jj.keep_fds = keep;
		jj.nkeep = 3;
		jail_enter_or_exit(&jj, logfd, "umnet: console holder");
		/* it outlives this umnet */
		prctl(PR_SET_PDEATHSIG, 0);
		holder_main(np, con[0], rdy[0], logfd);
	}
	/* the holder's own record, for teardown */
	ret = pid_starttime(child, &st);
	if (!ret) {
		n = snprintf(buf, sizeof(buf), "%d %llu\n", (int)child, st);
		ret = write_file(np->holder, buf, n, 0644);
	}
	if (ret) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		errf(e, ret, "%s: %s", np->holder, strerror(-ret));
		goto cleanup;
	}
	*console_wr = con[1];
	*ready_wr = rdy[1];
	con[1] = rdy[1] = -1;
cleanup:
	if (logfd >= 0)
		close(logfd);
	for (n = 0; n < 2; n++) {
		if (con[n] >= 0)
			close(con[n]);
		if (rdy[n] >= 0)
			close(rdy[n]);
	}
	return ret;
}

void uml_stop_holder(const struct node_paths *np)
{
	unsigned long long st, now;
	char *data = NULL;
	int pid;

	if (read_file(np->holder, &data, NULL))
		return;
	if (sscanf(data, "%d %llu", &pid, &st) == 2 && pid > 1 &&
	    !pid_starttime(pid, &now) && now == st) {
		long long deadline = now_ms() + 2000;

		kill(pid, SIGKILL);
		waitpid(pid, NULL, WNOHANG);
		/* reaped by init: wait (bounded) until it is really gone */
		while (!pid_starttime(pid, &now) && now == st &&
		       now_ms() < deadline)
			usleep(5000);
	}
	free(data);
}

void console_tail(const struct node_paths *np, int n, struct strbuf *sb)
{
	char *data = NULL, *p;
	size_t len = 0;
	int lines = 0;

	if (read_file(np->console, &data, &len) || !len) {
		sb_puts(sb, "  (the console log is empty)\n");
		goto cleanup;
	}
	p = data + len;
	if (p > data && p[-1] == '\n')
		p--;
	while (p > data) {
		if (p[-1] == '\n' && ++lines >= n)
			break;
		p--;
	}
	for (; *p;) {
		char *nl = strchr(p, '\n');
		int l = nl ? nl - p : (int)strlen(p);

		sb_printf(sb, "  | %.*s\n", l, p);
		p += l + (nl ? 1 : 0);
	}
cleanup:
	free(data);
}
