// SPDX-License-Identifier: GPL-2.0
/*
 * umnet console NAME: attach the terminal to the node's shell console (tty1,
 * a host pts found through mconsole). Ctrl-] detaches. With stdin not a
 * terminal, input is sent as is and output is relayed until it goes quiet.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

#define ESCAPE_CHAR 0x1d /* Ctrl-] */

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		p += w;
		n -= w;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: umnet console NAME   (Ctrl-] detaches)\n");
}

int console_main(int argc, char *argv[])
{
	struct termios saved, raw;
	struct node_paths np;
	bool tty = isatty(0), in_open = true;
	long long quiet_since = 0;
	char pts[64], buf[4096];
	const char *name;
	int fd = -1, ret = opt_flag(argc, argv, usage, NULL, NULL, 1, 1);

	if (ret >= 0)
		return ret;
	name = argv[optind];
	if (node_lookup(name, &np, true))
		return 1;
	ret = node_pts(&np, 1, pts, sizeof(pts));
	if (ret) {
		say_failf(ret, NULL,
			  "%s: cannot find its console (mconsole config con1)",
			  name);
		return 1;
	}
	fd = open(pts, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		say_err("%s: %s: %m", name, pts);
		return 1;
	}
	if (!tcgetattr(fd, &raw)) {
		cfmakeraw(&raw);
		tcsetattr(fd, TCSANOW, &raw);
	}
	if (tty) {
		fprintf(stderr, "Connected to %s (%s). Ctrl-] detaches.\r\n",
			name, pts);
		tcgetattr(0, &saved);
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
		write_all(fd, "\n", 1);
	}
	ret = 0;
	for (;;) {
		struct pollfd fds[2] = { { fd, POLLIN, 0 },
					 { in_open ? 0 : -1, POLLIN, 0 } };
		int r = poll(fds, 2, in_open ? -1 : 200);
		ssize_t n;

		if (r < 0 && errno != EINTR)
			break;
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(fd, buf, sizeof(buf));
			if (n <= 0)
				break;
			write_all(1, buf, n);
			quiet_since = now_ms();
		}
		if (fds[1].revents & (POLLIN | POLLHUP)) {
			n = read(0, buf, sizeof(buf));
			if (n <= 0) {
				in_open = false; /* flush output, then leave */
				quiet_since = now_ms();
				continue;
			}
			if (tty && memchr(buf, ESCAPE_CHAR, n))
				break;
			write_all(fd, buf, n);
		}
		if (!in_open && now_ms() - quiet_since > 500)
			break;
	}
	if (tty) {
		tcsetattr(0, TCSANOW, &saved);
		fprintf(stderr, "\nDetached from %s.\n", name);
	}
	close(fd);
	return ret;
}
