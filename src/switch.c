// SPDX-License-Identifier: GPL-2.0
/*
 * The learning switch behind `umnet switch` (see switch.h): its sockets,
 * the poll loop and the status. Ports and forwarding: switch_fwd.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "switch_priv.h"

void sw_log(const struct sw *sw, enum switch_log_level level, const char *fmt,
	    ...)
{
	char msg[512];
	va_list ap;

	if (!sw->cfg.log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sw->cfg.log(sw->cfg.log_arg, level, msg);
}

int recvmmsg_nb(int fd, struct mmsghdr *msgs, unsigned int n)
{
	int ret;

	do
		ret = recvmmsg(fd, msgs, n, MSG_DONTWAIT, NULL);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	return ret;
}

int sendmmsg_nb(int fd, struct mmsghdr *msgs, unsigned int n)
{
	int ret;

	do
		ret = sendmmsg(fd, msgs, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	return ret;
}

static int sun_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	return strscpy(sa->sun_path, path, sizeof(sa->sun_path));
}

/*
 * 0 when nothing is at path or only a stale socket nobody listens on;
 * -EADDRINUSE when something listens; -EEXIST when it is not a socket.
 */
static int path_free(const char *path, bool *stale)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd, ret = 0;

	*stale = false;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	if (sun_addr(path, &sa))
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ||
	    errno == EAGAIN)
		ret = -EADDRINUSE;
	else
		*stale = true;
	close(fd);
	return ret;
}

static int check_one(const char *path, bool *stale, struct err *e)
{
	int ret = path_free(path, stale);

	if (ret == -EADDRINUSE)
		return errf(
			e, ret,
			"%s: another switch is listening there: stop it or use another -s path",
			path);
	if (ret == -EEXIST)
		return errf(
			e, ret,
			"%s exists and is not a socket: remove it or use another -s path",
			path);
	if (ret)
		return errf(e, ret, "%s: %s", path, strerror(-ret));
	return 0;
}

int switch_check(const struct switch_config *cfg, struct err *e)
{
	char dir[sizeof(cfg->path)], ctl[sizeof(cfg->path) + 5];
	struct stat st;
	bool stale;
	char *slash;
	int ret;

	if (!cfg->path[0])
		return errf(e, -EINVAL, "no socket path: give -s PATH");
	if (strlen(cfg->path) > SWITCH_PATH_MAX)
		return errf(
			e, -ENAMETOOLONG,
			"socket path %s is %zu bytes long; at most %zu fit in a unix socket address with its \".vnet\" sibling: use a shorter path",
			cfg->path, strlen(cfg->path), (size_t)SWITCH_PATH_MAX);
	if (cfg->aging_ms < 1000 || cfg->aging_ms > SWITCH_AGING_MAX_S * 1000u)
		return errf(
			e, -ERANGE,
			"MAC aging %u ms is out of range: use 1..%d seconds",
			cfg->aging_ms, SWITCH_AGING_MAX_S);
	strscpy(dir, cfg->path, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return errf(
			e, -ENOENT,
			"%s: the directory %s does not exist: create it first",
			cfg->path, dir);
	if (access(dir, W_OK | X_OK) < 0)
		return errf(e, -errno, "%s: cannot create a socket in %s: %s",
			    cfg->path, dir, strerror(errno));
	if ((ret = check_one(cfg->path, &stale, e)))
		return ret;
	snprintf(ctl, sizeof(ctl), "%s.vnet", cfg->path);
	if ((ret = check_one(ctl, &stale, e)))
		return ret;
	snprintf(ctl, sizeof(ctl), "%s.ctl", cfg->path);
	return check_one(ctl, &stale, e);
}

static int listen_on(const char *path, unsigned int mode, int *out,
		     struct err *e)
{
	struct sockaddr_un sa;
	bool stale;
	int fd = -1, ret;

	if ((ret = check_one(path, &stale, e)))
		return ret;
	if (stale && unlink(path) < 0 && errno != ENOENT)
		return errf(e, -errno, "removing the stale socket %s: %s", path,
			    strerror(errno));
	sun_addr(path, &sa);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return errf(e, -errno, "socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = errf(e, -errno, "bind %s: %s", path, strerror(errno));
		goto cleanup;
	}
	if (chmod(path, mode) < 0) {
		ret = errf(e, -errno, "chmod %s: %s", sa.sun_path,
			   strerror(errno));
		unlink(path);
		goto cleanup;
	}
	if (listen(fd, 64) < 0) {
		ret = errf(e, -errno, "listen %s: %s", path, strerror(errno));
		unlink(path);
		goto cleanup;
	}
	*out = fd;
	return 0;
cleanup:
	close(fd);
	return ret;
}

int switch_new(struct sw **out, const struct switch_config *cfg)
{
	struct sw *sw;
	int i;

	sw = calloc(1, sizeof(*sw));
	if (!sw)
		return -ENOMEM;
	sw->cfg = *cfg;
	sw->lfd = sw->vfd = sw->cfd = sw->monfd = sw->mirror.fd = sw->ufd =
		sw->rfd = -1;
	for (i = 0; i < SWITCH_MAX_MON; i++)
		sw->mon[i] = -1;
	sw->next_id = 1;
	for (i = 0; i < SWITCH_MAX_PORTS; i++)
		sw->ports[i].fd = -1;
	snprintf(sw->ctl_path, sizeof(sw->ctl_path), "%s.ctl", cfg->path);
	snprintf(sw->mon_path, sizeof(sw->mon_path), "%s.mon", cfg->path);
	snprintf(sw->vnet_path, sizeof(sw->vnet_path), "%s.vnet", cfg->path);
	sw->cfg.mirror = NULL; /* cfg's string is the caller's */
	sw->cfg.peers = NULL; /* sw_l2tp_open copies them */
	sw->rxbuf = calloc(SWITCH_BATCH, SWITCH_SLOT);
	sw->segbuf = malloc(SWITCH_SEG_BUF);
	if (!sw->rxbuf || !sw->segbuf) {
		switch_close(sw);
		return -ENOMEM;
	}
	/* port_rx points each at its slot, after the header or on it */
	for (i = 0; i < SWITCH_BATCH; i++) {
		sw->rxmsg[i].msg_hdr.msg_iov = &sw->rxiov[i];
		sw->rxmsg[i].msg_hdr.msg_iovlen = 1;
	}
	sw->start = sw->last_sweep = now_ms();
	*out = sw;
	return 0;
}

int switch_open(struct sw **out, const struct switch_config *cfg, struct err *e)
{
	struct sw *sw = NULL;
	int ret;

	if ((ret = switch_check(cfg, e)))
		return ret;
	if ((ret = switch_new(&sw, cfg)))
		return errf(e, ret, "out of memory");
	if (cfg->mirror) {
		ret = pcap_ring_open(&sw->mirror, cfg->mirror, SWITCH_FRAME_MAX,
				     cfg->mirror_size,
				     cfg->mirror_size ? cfg->mirror_files : 1,
				     e);
		if (ret)
			goto cleanup;
	}
	if ((ret = listen_on(cfg->path, cfg->mode ? cfg->mode : 0666, &sw->lfd,
			     e)))
		goto cleanup;
	if ((ret = listen_on(sw->vnet_path, cfg->mode ? cfg->mode : 0666,
			     &sw->vfd, e)))
		goto cleanup;
	if ((ret = listen_on(sw->ctl_path, 0600, &sw->cfd, e)))
		goto cleanup;
	if ((ret = listen_on(sw->mon_path, 0600, &sw->monfd, e)))
		goto cleanup;
	if (cfg->l2tp_addr[0] || cfg->npeers) {
		sw->cfg.peers = cfg->peers;
		ret = sw_l2tp_open(sw, e);
		if (ret)
			goto cleanup;
	}
	*out = sw;
	return 0;
cleanup:
	switch_close(sw);
	return ret;
}

void switch_close(struct sw *sw)
{
	int i;

	if (!sw)
		return;
	for (i = 0; i < SWITCH_MAX_PORTS; i++)
		if (sw->ports[i].fd >= 0 && !sw->ports[i].l2tp)
			close(sw->ports[i].fd);
	if (sw->ufd >= 0)
		close(sw->ufd);
	for (i = 0; i < SWITCH_MAX_PORTS; i++)
		resolve_free(sw->ports[i].lookup);
	if (sw->rfd >= 0)
		close(sw->rfd);
	free(sw->peers);
	if (sw->lfd >= 0) {
		close(sw->lfd);
		unlink(sw->cfg.path);
	}
	if (sw->vfd >= 0) {
		close(sw->vfd);
		unlink(sw->vnet_path);
	}
	if (sw->cfd >= 0) {
		close(sw->cfd);
		unlink(sw->ctl_path);
	}
	if (sw->monfd >= 0) {
		close(sw->monfd);
		unlink(sw->mon_path);
	}
	for (i = 0; i < SWITCH_MAX_MON; i++)
		if (sw->mon[i] >= 0)
			close(sw->mon[i]);
	pcap_ring_close(&sw->mirror);
	free(sw->rxbuf);
	free(sw->segbuf);
	free(sw);
}

static void ctl_accept(struct sw *sw)
{
	struct switch_status *st;
	size_t len;
	int fd;

	fd = accept4(sw->cfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	st = malloc(sizeof(*st));
	if (!st) {
		close(fd);
		return;
	}
	switch_get_status(sw, st);
	len = sizeof(st->hdr) + st->hdr.nports * sizeof(st->ports[0]);
	if (send(fd, st, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		sw_log(sw, SWITCH_LOG_WARN, "status reply: %s",
		       strerror(errno));
	free(st);
	close(fd);
}

void switch_get_status(const struct sw *sw, struct switch_status *st)
{
	uint32_t n = 0;
	int i, j;

	memset(st, 0, sizeof(*st));
	st->hdr.magic = SWITCH_STATUS_MAGIC;
	st->hdr.version = SWITCH_STATUS_VERSION;
	st->hdr.pid = getpid();
	st->hdr.aging_ms = sw->cfg.aging_ms;
	st->hdr.fdb = sw->nfdb;
	st->hdr.uptime_ms = now_ms() - sw->start;
	st->hdr.ports_total = sw->ports_total;
	st->hdr.l2tp_short = sw->l2tp_short;
	st->hdr.bad_session = sw->bad_session;
	for (i = 0; i < SWITCH_MAX_PORTS; i++) {
		if (sw->ports[i].fd < 0)
			continue;
		st->ports[n] = sw->ports[i].st;
		for (j = 0; j < sw->nfdb; j++)
			if (sw->fdb[j].slot == i)
				st->ports[n].macs++;
		n++;
	}
	/* by port number, as the slots are reused */
	for (i = 1; i < (int)n; i++)
		for (j = i; j > 0 && st->ports[j - 1].id > st->ports[j].id;
		     j--) {
			struct switch_port_stats t = st->ports[j];

			st->ports[j] = st->ports[j - 1];
			st->ports[j - 1] = t;
		}
	st->hdr.nports = n;
}

int switch_run_once(struct sw *sw, int timeout_ms, const sigset_t *sigmask,
		    struct err *e)
{
	enum { P_FRAMES, P_VNET, P_CTL, P_MON, P_L2TP, P_RESOLVE, P_FIXED };
	struct pollfd pfd[SWITCH_MAX_PORTS + P_FIXED + SWITCH_MAX_MON];
	int slot[SWITCH_MAX_PORTS + P_FIXED + SWITCH_MAX_MON];
	struct timespec ts;
	long long now;
	int n = 0, i, ret, first_port;

	pfd[n].fd = sw->lfd;
	pfd[n++].events = POLLIN;
	pfd[n].fd = sw->vfd;
	pfd[n++].events = POLLIN;
	pfd[n].fd = sw->cfd;
	pfd[n++].events = POLLIN;
	pfd[n].fd = sw->monfd;
	pfd[n++].events = POLLIN;
	pfd[n].fd = sw->ufd; /* -1: none, poll skips it */
	pfd[n++].events = POLLIN;
	pfd[n].fd = sw->rfd; /* a name lookup ended */
	pfd[n++].events = POLLIN;
	/* monitor readers: only their going away is of interest */
	sw->nmon = 0;
	for (i = 0; i < SWITCH_MAX_MON; i++) {
		if (sw->mon[i] < 0)
			continue;
		sw->nmon++;
		slot[n] = i;
		pfd[n].fd = sw->mon[i];
		pfd[n++].events = POLLRDHUP;
	}
	first_port = n;
	for (i = 0; i < SWITCH_MAX_PORTS; i++) {
		if (sw->ports[i].fd < 0 || sw->ports[i].l2tp)
			continue;
		slot[n] = i;
		pfd[n].fd = sw->ports[i].fd;
		pfd[n++].events = POLLIN | POLLRDHUP;
	}
	/* the remote ports' first lookups: here, after a daemon's fork */
	if (sw->ufd >= 0 && !sw->last_resolve)
		sw_l2tp_resolve(sw, now_ms());
	/* wake at least every second for aging and lookups to retry */
	if (timeout_ms < 0 || timeout_ms > 1000)
		timeout_ms = 1000;
	ts.tv_sec = timeout_ms / 1000;
	ts.tv_nsec = (timeout_ms % 1000) * 1000000L;
	ret = ppoll(pfd, n, &ts, sigmask);
	if (ret < 0) {
		if (errno == EINTR)
			return -EINTR;
		return errf(e, -errno, "poll: %s", strerror(errno));
	}
	for (i = P_FIXED; i < first_port; i++)
		if (pfd[i].revents && sw->mon[slot[i]] >= 0) {
			close(sw->mon[slot[i]]);
			sw->mon[slot[i]] = -1;
			sw->nmon--;
		}
	for (i = first_port; i < n; i++)
		if (pfd[i].revents)
			port_rx(sw, slot[i], pfd[i].revents);
	if (pfd[P_L2TP].revents & POLLIN)
		sw_l2tp_rx(sw);
	for (i = 0; i < SWITCH_MAX_PORTS; i++)
		if (sw->ports[i].fd >= 0 && sw->ports[i].dead)
			port_remove(sw, i);
	if (pfd[P_FRAMES].revents & POLLIN)
		port_accept(sw, sw->lfd, false);
	if (pfd[P_VNET].revents & POLLIN)
		port_accept(sw, sw->vfd, true);
	if (pfd[P_CTL].revents & POLLIN)
		ctl_accept(sw);
	if (pfd[P_MON].revents & POLLIN) {
		mon_accept(sw);
		sw->nmon++;
	}
	now = now_ms();
	if (now - sw->last_sweep >= 1000 ||
	    now - sw->last_sweep >= sw->cfg.aging_ms / 4) {
		fdb_age(sw, now);
		sw->last_sweep = now;
	}
	if (sw->ufd >= 0 && ((pfd[P_RESOLVE].revents & POLLIN) ||
			     now - sw->last_resolve >= SWITCH_LOOKUP_RETRY_MS))
		sw_l2tp_resolve(sw, now);
	return 0;
}

int switch_status_fetch(const char *path, struct switch_status *st,
			struct err *e)
{
	struct timeval tv = { .tv_sec = 2 };
	char ctl[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];
	struct sockaddr_un sa;
	ssize_t n;
	int fd = -1, ret;

	if (strlen(path) > SWITCH_PATH_MAX)
		return errf(e, -ENAMETOOLONG,
			    "socket path %s is too long (at most %zu bytes)",
			    path, SWITCH_PATH_MAX);
	snprintf(ctl, sizeof(ctl), "%s.ctl", path);
	sun_addr(ctl, &sa);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errf(e, -errno, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = errf(e, -errno,
			   "%s: %s: is 'umnet switch -s %s' running?", ctl,
			   strerror(errno), path);
		goto cleanup;
	}
	n = recv(fd, st, sizeof(*st), MSG_TRUNC);
	if (n < 0) {
		ret = errf(e, -errno, "%s: no status reply: %s", ctl,
			   strerror(errno));
		goto cleanup;
	}
	if ((size_t)n < sizeof(st->hdr) ||
	    st->hdr.magic != SWITCH_STATUS_MAGIC ||
	    st->hdr.version != SWITCH_STATUS_VERSION ||
	    st->hdr.nports > SWITCH_MAX_PORTS ||
	    (size_t)n !=
		    sizeof(st->hdr) + st->hdr.nports * sizeof(st->ports[0])) {
		ret = errf(
			e, -EPROTO,
			"%s: malformed status reply (%zd bytes): is the switch the same umnet version?",
			ctl, n);
		goto cleanup;
	}
	ret = 0;
cleanup:
	close(fd);
	return ret;
}
