// SPDX-License-Identifier: GPL-2.0
/*
 * umnet-init: PID 1 of a node (/sbin/init in the root image).
 *
 * Boot: mount the API filesystems and the read-only config drive, bring lo
 * up, apply node.conf (rootfs/nodeconf.c) and tell the host "ready" (or
 * "failed node.conf:N: ...") through /proc/mconsole. Nothing here sleeps:
 * the host waits for that notification, and boot-to-ready is meant to take
 * tens of milliseconds.
 *
 * Then: keep the exec agent on tty2 running and an interactive shell (bash,
 * else /bin/sh) on tty1 once a line arrives there (respawned, with a
 * back-off when they die young),
 * reap every orphan, and on SIGINT (ctrl-alt-del, i.e. mconsole "cad") or
 * SIGTERM shut down cleanly and power off, which ends the UML process.
 *
 * Signals are blocked and read from a signalfd; children get a clean mask.
 */
#include "nodeconf.h"
#include "nodeconf_apply.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MCONSOLE_PROC "/proc/mconsole"
#define AGENT_PATH "/sbin/umnet-agent"
#define SHUTDOWN_GRACE_MS 1000
#define AGENT_READY_MS 2000
#define NOTIFY_MAX 512 /* one mconsole notification (MCONSOLE_MAX_DATA) */
#define FAIL_MSG_MAX 400 /* the reason, inside a NOTIFY_MAX report */
#define SERVICE_YOUNG_MS 2000 /* a service that dies younger backs off */
#define SERVICE_BACKOFF_MS 250 /* the first back-off, doubled each time */
#define SERVICE_BACKOFF_MAX_MS 10000
#define SERVICE_FAILS_MAX 16 /* counted; the back-off is capped anyway */
#define NO_SIGNALFD_POLL_MS 1000

/* directories bird and friends expect on the /run tmpfs */
static const char *const run_dirs[] = { "/run/bird", "/run/lock" };

/* clang-format off */
static char *const shell_env[] = {
	"PATH=" NODE_PATH,
	"HOME=/root",
	"TERM=linux",
	"SHELL=/bin/bash",
	"USER=root",
	"LOGNAME=root",
	"PS1=\\h:\\w\\$ ",
	NULL,
};

/* the agent's environment at boot: it writes a byte to fd 3 when ready */
static char *const agent_ready_env[] = {
	"PATH=" NODE_PATH,
	"HOME=/root",
	"TERM=linux",
	"UMNET_READY_FD=3",
	NULL,
};
/* clang-format on */

/* a login shell; bash for its line editing, else /bin/sh */
static char *const shell_argv[] = { "-bash", NULL };
static char *const shell_fallback_argv[] = { "-sh", NULL };
static char *const agent_argv[] = { "umnet-agent", NODE_AGENT_TTY, NULL };

struct service {
	const char *name;
	const char *path;
	char *const *argv;
	const char *fallback; /* tried when path does not exist */
	char *const *fallback_argv;
	char *const *envp;
	const char *ctty; /* opened as stdin/out/err and controlling tty */
	pid_t pid;
	long long started_ms;
	long long next_ms; /* when to (re)start it, if pid == 0 */
	int fails; /* consecutive early deaths */
	int ready_fd; /* passed as fd 3 (UMNET_READY_FD) when >= 0 */
	int on_input; /* started only once a line arrives on its ctty */
};

static struct service services[] = {
	{
		.name = "shell",
		.path = "/bin/bash",
		.argv = shell_argv,
		.fallback = NODE_SH,
		.fallback_argv = shell_fallback_argv,
		.ready_fd = -1,
		.envp = shell_env,
		.ctty = NODE_SHELL_TTY,
		.on_input = 1,
	},
	{
		.name = "agent",
		.path = AGENT_PATH,
		.argv = agent_argv,
		.envp = node_env,
		.ready_fd = -1,
	},
};

enum { SHELL, AGENT };

#define NSERVICES (int)(sizeof(services) / sizeof(services[0]))

static long long now_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

struct mnt {
	const char *src, *dir, *type;
	unsigned long flags;
	const char *data;
};

static const struct mnt api_mounts[] = {
	{ "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755" },
	{ "devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
	  "gid=5,mode=0620,ptmxmode=0666" },
	{ "tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777" },
	{ "tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755" },
	{ "tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777" },
};

static void mount_api(void)
{
	size_t i;

	for (i = 0; i < sizeof(api_mounts) / sizeof(api_mounts[0]); i++) {
		const struct mnt *m = &api_mounts[i];

		if (mkdir(m->dir, 0755) < 0 && errno != EEXIST)
			node_log("mkdir %s: %m", m->dir);
		if (mount(m->src, m->dir, m->type, m->flags, m->data) == 0)
			continue;
		/* CONFIG_DEVTMPFS_MOUNT mounted /dev before we ran */
		if (errno == EBUSY && !strcmp(m->dir, "/dev"))
			continue;
		node_log("mount %s on %s: %m", m->type, m->dir);
	}
	for (i = 0; i < sizeof(run_dirs) / sizeof(run_dirs[0]); i++)
		if (mkdir(run_dirs[i], 0755) < 0 && errno != EEXIST)
			node_log("mkdir %s: %m", run_dirs[i]);
}

/* the kernel could not give us a console when /dev was still empty */
static void ensure_console(void)
{
	int fd, i;

	if (fcntl(STDOUT_FILENO, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return;
	for (i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static int mount_config(char *msg, size_t len)
{
	unsigned long fl = MS_RDONLY | MS_NOSUID | MS_NODEV;

	if (mkdir(NODECONF_MOUNT, 0755) < 0 && errno != EEXIST)
		return nodeconf_err(msg, len, "mkdir %s: %m", NODECONF_MOUNT);
	if (mount(NODECONF_DEV, NODECONF_MOUNT, "ext4", fl, NULL) == 0)
		return 0;
	if (errno == EINVAL &&
	    mount(NODECONF_DEV, NODECONF_MOUNT, "ext2", fl, NULL) == 0)
		return 0;
	return nodeconf_err(msg, len, "cannot mount config drive %s: %m",
			    NODECONF_DEV);
}

static void lo_up(void)
{
	struct ifreq ifr;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		node_log("socket: %m");
		return;
	}
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		node_log("lo: SIOCGIFFLAGS: %m");
	} else {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			node_log("lo: SIOCSIFFLAGS: %m");
	}
	close(fd);
}

/* one write of msg (at most one notification's worth) to /proc/mconsole */
static void notify_host(const char *msg)
{
	size_t n = strnlen(msg, NOTIFY_MAX);
	int fd;

	fd = open(MCONSOLE_PROC, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		node_log("%s: %m (no mconsole=notify:), not notifying the host",
			 MCONSOLE_PROC);
		return;
	}
	if (write(fd, msg, n) < 0)
		node_log("%s: %m", MCONSOLE_PROC);
	close(fd);
}

static void spawn_service(struct service *s, long long now)
{
	char *const *envp = s->envp;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t all, none;
	int err;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID |
					      POSIX_SPAWN_SETSIGMASK |
					      POSIX_SPAWN_SETSIGDEF);
	if (s->ctty) {
		/* a session leader opening a tty makes it its controlling one */
		posix_spawn_file_actions_addopen(&fa, 0, s->ctty, O_RDWR, 0);
		posix_spawn_file_actions_adddup2(&fa, 0, 1);
		posix_spawn_file_actions_adddup2(&fa, 0, 2);
		posix_spawn_file_actions_addchdir_np(&fa, "/root");
	} else {
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
						 0);
	}
	if (s->ready_fd >= 0) {
		posix_spawn_file_actions_adddup2(&fa, s->ready_fd, 3);
		envp = agent_ready_env;
	}
	s->started_ms = now;
	err = posix_spawn(&s->pid, s->path, &fa, &at, s->argv, envp);
	if (err == ENOENT && s->fallback)
		err = posix_spawn(&s->pid, s->fallback, &fa, &at,
				  s->fallback_argv, envp);
	if (err) {
		s->pid = 0;
		node_log("cannot start the %s (%s): %s", s->name, s->path,
			 strerror(err));
	}
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
}

/*
 * A service ended (or could not start): restart it at once if it ran for a
 * while, else back off 250 ms, 500 ms, ... up to 10 s, so a missing tty or
 * binary does not make PID 1 spin.
 */
static void service_ended(struct service *s, long long now)
{
	long long delay = 0;

	s->pid = 0;
	if (now - s->started_ms < SERVICE_YOUNG_MS) {
		if (s->fails < SERVICE_FAILS_MAX)
			s->fails++;
		delay = (long long)SERVICE_BACKOFF_MS << (s->fails - 1);
		if (delay > SERVICE_BACKOFF_MAX_MS)
			delay = SERVICE_BACKOFF_MAX_MS;
	} else {
		s->fails = 0;
	}
	if (delay && s->fails > 1)
		node_log("the %s keeps dying, restarting it in %lld ms",
			 s->name, delay);
	s->next_ms = now + delay;
}

static void start_service(struct service *s, long long now)
{
	spawn_service(s, now);
	if (!s->pid)
		service_ended(s, now);
}

static int console_line; /* a line (or a hangup) came on tty1 */

/* not running, and not waiting for a line on its tty either */
static int service_due(const struct service *s)
{
	return !s->pid && (!s->on_input || console_line);
}

static void start_due(long long now)
{
	int i;

	for (i = 0; i < NSERVICES; i++)
		if (service_due(&services[i]) && services[i].next_ms <= now)
			start_service(&services[i], now);
}

/* wait (at most ms) for the agent to say it has its tty open */
static void wait_agent(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	if (fd < 0)
		return;
	if (poll(&p, 1, ms) <= 0 || read(fd, &c, 1) != 1)
		node_log("the agent did not open %s in time", NODE_AGENT_TTY);
}

/*
 * UML creates the host pts of a console line when the line is first opened,
 * but mconsole "config con1" names it only while the line is open in here.
 * Hold tty1 open from before "ready" until the shell has it, so the host can
 * find the shell console as soon as it hears from us.
 *
 * The shell starts only when a line arrives on the held tty1 (umnet console
 * sends one when it attaches; the line stays queued for the shell to read),
 * and again after it exits: an idle node does not keep bash, its libraries
 * and their page cache (about 4 MiB of guest memory, bench/memory.sh).
 */
static int console_hold = -1;

static void hold_console_tty(void)
{
	console_line = 0;
	console_hold = open(NODE_SHELL_TTY,
			    O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (console_hold < 0) {
		node_log("%s: %m", NODE_SHELL_TTY);
		console_line = 1; /* nothing to wait on: start it anyway */
	}
}

static void boot(long long t0)
{
	char msg[FAIL_MSG_MAX], report[NOTIFY_MAX];
	int lineno = 0, count = 0, ready[2] = { -1, -1 };
	long long up;

	mount_api();
	ensure_console();
	if (chdir("/") < 0)
		node_log("chdir /: %m");
	if (sethostname("umnet", 5) < 0)
		node_log("sethostname: %m");
	lo_up();

	/*
	 * Start the agent now, while node.conf is applied: the host may exec
	 * as soon as it hears "ready", and UML only creates the agent's host
	 * pts when the agent opens tty2, so wait for that too. The shell can
	 * wait until we are ready.
	 */
	if (pipe2(ready, O_CLOEXEC) < 0)
		node_log("pipe: %m");
	services[AGENT].ready_fd = ready[1];
	start_service(&services[AGENT], now_ms(CLOCK_MONOTONIC));
	services[AGENT].ready_fd = -1;
	if (ready[1] >= 0)
		close(ready[1]);

	if (mount_config(msg, sizeof(msg)) < 0 ||
	    nodeconf_apply_file(NODECONF_MOUNT "/" NODECONF_FILE, &lineno,
				&count, msg, sizeof(msg)) < 0) {
		snprintf(report, sizeof(report), "failed %s:%d: %s",
			 NODECONF_FILE, lineno, msg);
		node_log("%s", report);
		wait_agent(ready[0], AGENT_READY_MS);
		hold_console_tty();
		notify_host(report);
		goto cleanup;
	}
	wait_agent(ready[0], AGENT_READY_MS);
	hold_console_tty();
	up = now_ms(CLOCK_BOOTTIME);
	node_log("%d lines of %s applied; ready %lld ms after init started, "
		 "uptime %lld.%03lld s",
		 count, NODECONF_FILE, now_ms(CLOCK_MONOTONIC) - t0, up / 1000,
		 up % 1000);
	notify_host("ready");
cleanup:
	if (ready[0] >= 0)
		close(ready[0]);
}

/* reap every exited child; returns -1 when there are no children left */
static int reap(int log_services)
{
	long long now = now_ms(CLOCK_MONOTONIC);
	int status, i;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			return -1;
		if (pid == 0)
			return 0;
		for (i = 0; i < NSERVICES; i++) {
			if (services[i].pid != pid)
				continue;
			if (log_services && !WIFEXITED(status))
				node_log("the %s (pid %d) was killed by signal "
					 "%d",
					 services[i].name, (int)pid,
					 WTERMSIG(status));
			service_ended(&services[i], now);
			break;
		}
		if (i == NSERVICES)
			nodeconf_reaped(pid, status);
	}
}

/* wait (reaping) until no children are left or ms have passed */
static int wait_children(int sfd, int ms)
{
	long long end = now_ms(CLOCK_MONOTONIC) + ms, left;
	struct signalfd_siginfo si;
	struct pollfd p = { .fd = sfd, .events = POLLIN };

	for (;;) {
		if (reap(0) < 0)
			return 0;
		left = end - now_ms(CLOCK_MONOTONIC);
		if (left <= 0)
			return -1;
		if (poll(&p, 1, (int)left) > 0 &&
		    read(sfd, &si, sizeof(si)) < 0 && errno != EAGAIN)
			return -1;
	}
}

static void shutdown_node(int sfd, const char *why)
{
	static const char *const umounts[] = {
		NODECONF_MOUNT, "/tmp", "/run", "/dev/shm", "/dev/pts",
	};
	size_t i;
	int j;

	node_log("%s: stopping all processes", why);
	/* interactive shells ignore SIGTERM, but end on a hangup */
	for (j = 0; j < NSERVICES; j++)
		if (services[j].pid && services[j].ctty)
			kill(-services[j].pid, SIGHUP);
	kill(-1, SIGTERM);
	kill(-1, SIGCONT);
	if (wait_children(sfd, SHUTDOWN_GRACE_MS) < 0) {
		node_log("killing the remaining processes");
		kill(-1, SIGKILL);
		wait_children(sfd, SHUTDOWN_GRACE_MS);
	}
	sync();
	for (i = 0; i < sizeof(umounts) / sizeof(umounts[0]); i++)
		if (umount2(umounts[i], 0) < 0 && errno != EINVAL)
			node_log("umount %s: %m", umounts[i]);
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL) < 0)
		node_log("remount / read-only: %m");
	sync();
	node_log("powering off");
	reboot(RB_POWER_OFF);
	node_log("power off: %m");
}

int main(void)
{
	long long t0 = now_ms(CLOCK_MONOTONIC);
	struct signalfd_siginfo si;
	struct pollfd p[2];
	sigset_t set;
	int sfd, i, timeout;
	long long now, next;

	if (getpid() != 1) {
		fprintf(stderr, "umnet-init: must run as PID 1\n");
		return 1;
	}
	/* ctrl-alt-del sends us SIGINT instead of rebooting at once */
	reboot(RB_DISABLE_CAD);
	umask(022);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPWR);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);

	boot(t0);

	for (;;) {
		now = now_ms(CLOCK_MONOTONIC);
		reap(1);
		/* the shell ended: wait for the next line on tty1 */
		if (!services[SHELL].pid && console_line && console_hold < 0)
			hold_console_tty();
		start_due(now);
		if (console_hold >= 0 && services[SHELL].pid) {
			close(console_hold);
			console_hold = -1;
		}

		next = -1;
		for (i = 0; i < NSERVICES; i++)
			if (service_due(&services[i]) &&
			    (next < 0 || services[i].next_ms < next))
				next = services[i].next_ms;
		timeout = next < 0 ? -1 : (int)(next > now ? next - now : 0);

		if (sfd < 0) {
			/* no signalfd (cannot happen): poll children */
			poll(NULL, 0, NO_SIGNALFD_POLL_MS);
			continue;
		}
		p[0].fd = sfd;
		p[0].events = POLLIN;
		p[1].fd = console_line ? -1 : console_hold;
		p[1].events = POLLIN;
		p[1].revents = 0;
		if (poll(p, 2, timeout) <= 0)
			continue;
		if (p[1].revents)
			console_line = 1;
		while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM ||
			    si.ssi_signo == SIGPWR) {
				shutdown_node(sfd, strsignal(si.ssi_signo));
				/* only reached when power off failed */
			}
		}
	}
}
