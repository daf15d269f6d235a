/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host side of the exec protocol (agent_proto.h): run a command inside a node
 * through the agent listening on the node's tty2, whose host end is a pts.
 * Callers serialize execs on one node; the function never prints.
 */
#ifndef UMNET_AGENT_H
#define UMNET_AGENT_H

#include <signal.h>
#include <stddef.h>

/*
 * Run argv (argv[0] searched in the node's PATH) through the agent on the pts
 * at tty_path, copying the command's stdout to out_fd and its stderr to
 * err_fd as it runs (either may be -1 to discard it). timeout_ms <= 0 waits
 * forever. Returns 0 with *status set to the exit code (128+N when killed by
 * signal N, 127 when argv could not be executed); -ETIMEDOUT after sending
 * the agent a kill request when the command did not end in time; -E2BIG when
 * argv does not fit a request line; -EIO when the node side went away
 * (UML closed the pts); -errno for other failures, including writes to
 * out_fd or err_fd (the command is then killed too). A write to a closed
 * pipe raises SIGPIPE unless the caller ignores it.
 */
int agent_exec(const char *tty_path, char *const argv[], int out_fd, int err_fd,
	       int timeout_ms, int *status);

/*
 * One line from the agent (len bytes without its '\n', with line[len] ==
 * '\0') for the exec under nonce, as agent_exec reads it. Returns 'o' or
 * 'e' with *n bytes decoded into dec (room for AGENT_LINE_MAX / 4 * 3 + 3),
 * 'x' with the exit code (0..255) in *n, or 0 for a line to skip.
 */
int agent_reply_decode(const char *nonce, const char *line, size_t len,
		       void *dec, size_t *n);

/*
 * agent_exec with more control (capture): out, when set, takes the
 * command's stdout instead of out_fd (a negative return stops the command
 * with that error); once *cancel is set (by a signal handler: SIGINT must
 * be caught without SA_RESTART), the command is killed and its remaining
 * output still relayed, and agent_exec returns 0 with the exit code it got.
 */
struct agent_opts {
	int (*out)(void *arg, const char *buf, size_t n);
	void *arg;
	const volatile sig_atomic_t *cancel;
};
int agent_exec_opts(const char *tty_path, char *const argv[], int out_fd,
		    int err_fd, int timeout_ms, int *status,
		    const struct agent_opts *o);

/*
 * The two halves of agent_exec_opts: agent_open() opens the agent's tty in
 * raw mode (a new fd, or -errno as open(2) gave it, so a caller can retry a
 * pts that is being replaced); agent_exec_fd() runs the exec over it and
 * always closes fd.
 */
int agent_open(const char *tty_path);
int agent_exec_fd(int fd, char *const argv[], int out_fd, int err_fd,
		  int timeout_ms, int *status, const struct agent_opts *o);

#endif
