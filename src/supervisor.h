/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The supervisor: renders the UML command line, starts UML detached in its
 * own session, waits for the node's init to report ready (an mconsole
 * USER_NOTIFY datagram), and stops it (mconsole halt, then SIGKILL to the
 * whole process group).
 */
#ifndef UMNET_SUPERVISOR_H
#define UMNET_SUPERVISOR_H

#include <sys/types.h>

#include "model.h"
#include "node.h"
#include "util.h"

struct argv {
	char **v;
	int n, cap;
};
void argv_free(struct argv *a);

/*
 * loops_per_jiffy for the guest, so that its kernel skips calibrating the
 * delay loop (5-12 timer ticks at HZ=100: 50-120 ms of every boot). From
 * the host's BogoMIPS (/proc/cpuinfo) and the kernel's CONFIG_HZ (in
 * KERNEL.config beside it, or in config in its directory, as in the
 * kernel cache); 0 when either is unknown, and the guest then calibrates.
 * The host's figure is the larger, so a guest's udelay() is never shorter
 * than asked.
 */
unsigned long host_lpj(const char *kernel);
unsigned long lpj_from(const char *cpuinfo, const char *kconfig);

/* the UML argv (argv[0] = kernel) for a profile; lpj 0: none */
int uml_argv(const struct profile *p, const struct node_paths *np,
	     const char *kernel, const char *rootfs, const char *cow,
	     unsigned long lpj, struct argv *out);
/* the same as one shell-quoted line */
void uml_cmdline(const struct argv *a, struct strbuf *sb);

/*
 * The invariant of a UML argv, checked before it is run or shown: argv[0]
 * (the kernel, exec'd, never parsed) is a non-empty path without control
 * bytes; every other element is one word of the kernel command line,
 * which the kernel splits on whitespace and in which '"' quotes: printable
 * ASCII without spaces or quotes, starting with a letter or digit (UML
 * takes "--help" and the like as its own options). vecN: elements are
 * "vecN:k=v,k=v" with at most VECTOR_MAX_ARGS pairs, ubdN= values at most
 * "FILE,BACKING" without ':'; the whole command line fits the kernel's
 * 4096 bytes. 0, or -EINVAL with e naming the element and what is wrong.
 */
int argv_check(const struct argv *a, struct err *e);

/*
 * The fds a UML process inherits, for transports whose sockets umnet opens
 * itself. The caller of uml_start owns it: it starts empty ({ 0 }), the
 * transports' prepare add to it, uml_start places each fd as its target
 * number in the child and closes them all; fd_pass_close for a start that
 * never came.
 */
#define FD_PASS_MAX 64
struct fd_pass {
	struct {
		int fd, target;
	} v[FD_PASS_MAX];
	size_t n;
};
/* add fd (dup'ed now) as number target (3..1023) of the UML process */
int fd_pass_add(struct fd_pass *pass, int fd, int target);
void fd_pass_close(struct fd_pass *pass);

/*
 * For the supervisor's files: two close-on-exec pipes (a, b; each left
 * at -1 when not made), then fork. The child's pid, 0 in the child, or
 * -errno with e set.
 */
pid_t pipes_fork(int a[2], int b[2], struct err *e);

struct jail;
/*
 * fork and exec UML detached (setsid), its console (stdout, stderr) on fd
 * console, inside network namespace netns when it is not NULL or "", in
 * jail j (jail.h), with the fds of pass (closed here, also on failure).
 * The pid is recorded in np->pidfile before the child may run; a step
 * that fails in the child comes back in e.
 */
int uml_start(const struct argv *a, const struct node_paths *np,
	      const char *netns, const struct jail *j, struct fd_pass *pass,
	      int console, pid_t *pid, struct err *e);

/*
 * Start the node's console holder, before UML: a small process (jailed
 * like the node, j) that writes UML's console to np->console with a size
 * cap, and keeps the host ends of the node's console ptys (con1, con2)
 * open once told the node is ready (a byte on *ready_wr). UML tears a
 * console pty down, and hangs up the node's tty, when the last host
 * client closes it; with the holder, `umnet exec` and `umnet console` can
 * come and go. It exits when UML and its helpers have closed the console
 * (*console_wr, to give to uml_start); its pid is in np->holder.
 */
int uml_holder_start(const struct node_paths *np, const struct jail *j,
		     int *console_wr, int *ready_wr, struct err *e);

/*
 * Wait until the node reports ready on notify_fd, its process exits, it
 * panics or timeout_ms passes. Returns 0 when ready; otherwise -errno with
 * e saying what happened.
 */
int uml_wait_ready(const struct node_paths *np, pid_t pid, int notify_fd,
		   int timeout_ms, struct err *e);

/*
 * Stop a node: mconsole halt, wait up to timeout_ms for the process to go,
 * then SIGKILL its process group. Safe when it is already gone.
 */
int uml_stop(const struct node_paths *np, pid_t pid, int timeout_ms);

/* stop the holder if it still runs */
void uml_stop_holder(const struct node_paths *np);

/* the last n lines of the console log, for error messages */
void console_tail(const struct node_paths *np, int n, struct strbuf *sb);

#endif
