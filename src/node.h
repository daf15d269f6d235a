/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A node's state on the host: one directory per running node under the state
 * root (/run/umnet as root, else $XDG_RUNTIME_DIR/umnet), holding its
 * canonical profile, journal, pid file, console log, sockets, COW file and
 * config drive. Removing a node removes this directory last.
 */
#ifndef UMNET_NODE_H
#define UMNET_NODE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "model.h"
#include "util.h"

struct node_paths {
	char name[NODE_NAME_MAX + 1];
	char dir[PATH_MAX];
	char profile[PATH_MAX]; /* canonical copy */
	char journal[PATH_MAX];
	char pidfile[PATH_MAX];
	char console[PATH_MAX];
	char notify[PATH_MAX];
	char umldir[PATH_MAX];
	char mconsole[PATH_MAX];
	char cow[PATH_MAX];
	char drive[PATH_MAX];
	char drive_dir[PATH_MAX];
	char lock[PATH_MAX];
	char info[PATH_MAX]; /* kernel, rootfs, start time */
	char holder[PATH_MAX]; /* pid file of the console holder */
	/*
	 * What the node's own processes may touch: the only part of the
	 * state dir inside its jail, owned by its uid (notify socket, uml
	 * dir with the mconsole socket, COW file, config drive, filters).
	 */
	char jaildir[PATH_MAX];
	char jailroot
		[PATH_MAX]; /* empty dir: the jail's root is mounted here */
	char jail[PATH_MAX]; /* the jail's record: uid, gid, caps */
	char cgroup[PATH_MAX]; /* the node's cgroup, for teardown */
};

/*
 * /run/umnet as root, else $XDG_RUNTIME_DIR/umnet or /tmp/umnet-UID (made
 * 0700 when missing; -EPERM unless it is a directory of ours that no one
 * else can enter, not a symlink); $UMNET_STATE_DIR overrides.
 */
int state_root(char *out, size_t len);
int node_paths(const char *name, struct node_paths *np);

/* pid file: "PID STARTTIME" (STARTTIME = field 22 of /proc/PID/stat) */
/* -ESRCH also for a zombie (it is gone for every purpose of ours) */
int pid_starttime(pid_t pid, unsigned long long *st);
int node_write_pid(const struct node_paths *np, pid_t pid);
int node_read_pid(const struct node_paths *np, pid_t *pid,
		  unsigned long long *st);
/* the node's UML process is alive (same pid and start time) */
bool node_running(const struct node_paths *np, pid_t *pid);

typedef char node_name_t[NODE_NAME_MAX + 1];
/*
 * names of all nodes with a state dir, sorted, in *names (malloc'd: the
 * caller frees it); returns the count or -errno. No limit: every command
 * sees every node, and an error reading the state root is an error, never
 * a shorter list.
 */
int node_list(node_name_t **names);

/* kernel and rootfs: $UMNET_KERNEL/$KERNEL, else next to the binary, ... */
int find_kernel(char *out, size_t len, struct err *e);
int find_rootfs(char *out, size_t len, struct err *e);
int find_image(const char *image, char *out, size_t len, struct err *e);

/* read the mconsole channel config "conN" and return its /dev/pts path */
int node_pts(const struct node_paths *np, int con, char *out, size_t len);

/* the node's disk is the COW file in its state dir (no persistent disk =) */
bool node_disk_is_ephemeral(const struct node_paths *np);

/*
 * Run argv in the node through its exec agent (agent.h), one exec at a time
 * per node. -ENOENT etc. when the agent's console cannot be found.
 */
int node_exec(const struct node_paths *np, char *const argv[], int out_fd,
	      int err_fd, int timeout_ms, int *status);
struct agent_opts;
/* the same with agent_exec_opts() (stdout to a function, cancel) */
int node_exec_opts(const struct node_paths *np, char *const argv[], int out_fd,
		   int err_fd, int timeout_ms, int *status,
		   const struct agent_opts *o);

/*
 * Commands on one name never interleave: an exclusive flock on
 * STATE_ROOT/.locks/KIND/NAME (KIND "node", "lab", "netns"), a file outside
 * the state dir that down removes. Waits up to timeout_s seconds
 * (UMNET_LOCK_TIMEOUT overrides) for another umnet to finish; what it is
 * doing ("bringing it up") is written in the file for the message a waiting
 * umnet gives. Returns the lock's fd, or -errno with e set (-ETIMEDOUT).
 */
#define NODE_LOCK_WAIT_S 60
#define LAB_LOCK_WAIT_S 300
int name_lock(const char *kind, const char *name, const char *what,
	      int timeout_s, struct err *e);
/* release it; remove the file too when the name is gone (remove) */
void name_unlock(int fd, const char *kind, const char *name, bool remove);
/*
 * A lock file of KIND/NAME that nobody holds, left by a command killed
 * (kill -9) before it made state_dir: removed when state_dir does not
 * exist and nobody holds the lock. For down of what is not there.
 */
void name_lock_drop_stale(const char *kind, const char *name,
			  const char *state_dir);

#endif
