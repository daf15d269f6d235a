// SPDX-License-Identifier: GPL-2.0
/* The learning switch behind `umnet switch`: see switch.h. */
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

#include "switch.h"

struct port {
	int fd; /* -1: slot free */
	bool dead; /* hung up or failed: removed after this round */
	struct switch_port_stats st;
	struct mmsghdr txq[SWITCH_BATCH];
	struct iovec txiov[SWITCH_BATCH];
	unsigned int ntx;
};

struct fdb_entry {
	unsigned char mac[6];
	int slot;
	long long seen;
};

struct sw {
	struct switch_config cfg;
	char ctl_path[sizeof(((struct sockaddr_un *)0)->sun_path) + 4];
	char mon_path[sizeof(((struct sockaddr_un *)0)->sun_path) + 4];
	int lfd, cfd, monfd, nmon;
	int mon[SWITCH_MAX_MON]; /* monitor readers, -1: free */
	int mirror_fd; /* --mirror FILE, -1: none */
	long long start, last_sweep;
	uint64_t ports_total;
	uint32_t next_id;
	struct port ports[SWITCH_MAX_PORTS];
	struct fdb_entry fdb[SWITCH_FDB_MAX];
	int nfdb;
	/* receive batch */
	unsigned char *rxbuf; /* SWITCH_BATCH * SWITCH_FRAME_MAX */
	struct mmsghdr rxmsg[SWITCH_BATCH];
	struct iovec rxiov[SWITCH_BATCH];
};

__attribute__((format(printf, 3, 4))) static void
sw_log(const struct sw *sw, enum switch_log_level level, const char *fmt, ...)
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

static void fmt_mac(const unsigned char *m, char *buf)
{
	sprintf(buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		m[4], m[5]);
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
		return err_set(e,
			       "%s: another switch is listening there: stop it or use another -s path",
			       path),
		       ret;
	if (ret == -EEXIST)
		return err_set(e,
			       "%s exists and is not a socket: remove it or use another -s path",
			       path),
		       ret;
	if (ret)
		return err_set(e, "%s: %s", path, strerror(-ret)), ret;
	return 0;
}

int switch_check(const struct switch_config *cfg, struct err *e)
{
	char dir[sizeof(cfg->path)], ctl[sizeof(cfg->path) + 4];
	struct stat st;
	bool stale;
	char *slash;
	int ret;

	if (!cfg->path[0])
		return err_set(e, "no socket path: give -s PATH"), -EINVAL;
	if (strlen(cfg->path) > SWITCH_PATH_MAX)
		return err_set(e,
			       "socket path %s is %zu bytes long; at most %zu fit in a unix socket address with its \".ctl\" sibling: use a shorter path",
			       cfg->path, strlen(cfg->path), SWITCH_PATH_MAX),
		       -ENAMETOOLONG;
	if (cfg->aging_ms < 1000 || cfg->aging_ms > SWITCH_AGING_MAX_S * 1000u)
		return err_set(e,
			       "MAC aging %u ms is out of range: use 1..%d seconds",
			       cfg->aging_ms, SWITCH_AGING_MAX_S),
		       -ERANGE;
	strscpy(dir, cfg->path, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return err_set(e,
			       "%s: the directory %s does not exist: create it first",
			       cfg->path, dir),
		       -ENOENT;
	if (access(dir, W_OK | X_OK) < 0)
		return err_set(e, "%s: cannot create a socket in %s: %s",
			       cfg->path, dir, strerror(errno)),
		       -errno;
	if ((ret = check_one(cfg->path, &stale, e)))
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
		return err_set(e, "removing the stale socket %s: %s", path,
			       strerror(errno)),
		       -errno;
	sun_addr(path, &sa);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return err_set(e, "socket: %s", strerror(errno)), -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		err_set(e, "bind %s: %s", path, strerror(errno));
		goto cleanup;
	}
	if (chmod(path, mode) < 0) {
		ret = -errno;
		err_set(e, "chmod %s: %s", sa.sun_path, strerror(errno));
		unlink(path);
		goto cleanup;
	}
	if (listen(fd, 64) < 0) {
		ret = -errno;
		err_set(e, "listen %s: %s", path, strerror(errno));
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
	sw->lfd = sw->cfd = sw->monfd = sw->mirror_fd = -1;
	for (i = 0; i < SWITCH_MAX_MON; i++)
		sw->mon[i] = -1;
	sw->next_id = 1;
	for (i = 0; i < SWITCH_MAX_PORTS; i++)
		sw->ports[i].fd = -1;
	snprintf(sw->ctl_path, sizeof(sw->ctl_path), "%s.ctl", cfg->path);
	snprintf(sw->mon_path, sizeof(sw->mon_path), "%s.mon", cfg->path);
	sw->cfg.mirror = NULL; /* cfg's string is the caller's */
	sw->rxbuf = malloc((size_t)SWITCH_BATCH * SWITCH_FRAME_MAX);
	if (!sw->rxbuf) {
		switch_close(sw);
		return -ENOMEM;
	}
	for (i = 0; i < SWITCH_BATCH; i++) {
		sw->rxiov[i].iov_base =
			sw->rxbuf + (size_t)i * SWITCH_FRAME_MAX;
		sw->rxiov[i].iov_len = SWITCH_FRAME_MAX;
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
		return err_set(e, "out of memory"), ret;
	if (cfg->mirror) {
		static const uint32_t hdr[6] = {
			0xa1b2c3d4, 2 | (4u << 16), 0, 0, SWITCH_FRAME_MAX, 1
		};

		sw->mirror_fd =
			open(cfg->mirror,
			     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (sw->mirror_fd < 0 ||
		    write(sw->mirror_fd, hdr, sizeof(hdr)) != sizeof(hdr)) {
			ret = -errno;
			err_set(e, "--mirror %s: %s", cfg->mirror,
				strerror(errno));
			goto cleanup;
		}
	}
	if ((ret = listen_on(cfg->path, cfg->mode ? cfg->mode : 0666, &sw->lfd,
			     e)))
		goto cleanup;
	if ((ret = listen_on(sw->ctl_path, 0600, &sw->cfd, e)))
		goto cleanup;
	if ((ret = listen_on(sw->mon_path, 0600, &sw->monfd, e)))
		goto cleanup;
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
		if (sw->ports[i].fd >= 0)
			close(sw->ports[i].fd);
	if (sw->lfd >= 0) {
		close(sw->lfd);
		unlink(sw->cfg.path);
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
	if (sw->mirror_fd >= 0)
		close(sw->mirror_fd);
	free(sw->rxbuf);
	free(sw);
}

/* forwarding database: a small array, linear search, swap-remove */

static void fdb_del(struct sw *sw, int i)
{
	sw->fdb[i] = sw->fdb[--sw->nfdb];
}

static int fdb_find(struct sw *sw, const unsigned char *mac)
{
	int i;

	for (i = 0; i < sw->nfdb; i++)
		if (!memcmp(sw->fdb[i].mac, mac, 6))
			return i;
	return -1;
}

static void fdb_learn(struct sw *sw, int slot, const unsigned char *mac,
		      long long now)
{
	int i = fdb_find(sw, mac);
	char m[18];

	if (i >= 0) {
		if (sw->fdb[i].slot != slot) {
			fmt_mac(mac, m);
			sw_log(sw, SWITCH_LOG_DEBUG,
			       "%s moved from port %u to port %u", m,
			       sw->ports[sw->fdb[i].slot].st.id,
			       sw->ports[slot].st.id);
			sw->fdb[i].slot = slot;
		}
		sw->fdb[i].seen = now;
		return;
	}
	if (sw->nfdb >= SWITCH_FDB_MAX)
		return; /* full: this MAC stays unknown, its frames flood */
	i = sw->nfdb++;
	memcpy(sw->fdb[i].mac, mac, 6);
	sw->fdb[i].slot = slot;
	sw->fdb[i].seen = now;
	fmt_mac(mac, m);
	sw_log(sw, SWITCH_LOG_DEBUG, "%s learned on port %u", m,
	       sw->ports[slot].st.id);
}

static void fdb_age(struct sw *sw, long long now)
{
	char m[18];
	int i;

	for (i = sw->nfdb - 1; i >= 0; i--) {
		if (now - sw->fdb[i].seen < sw->cfg.aging_ms)
			continue;
		fmt_mac(sw->fdb[i].mac, m);
		sw_log(sw, SWITCH_LOG_DEBUG, "%s aged out of port %u", m,
		       sw->ports[sw->fdb[i].slot].st.id);
		fdb_del(sw, i);
	}
}

/* ports */

int switch_add_port(struct sw *sw, int fd)
{
	struct sockaddr_un sa;
	socklen_t salen;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct port *pt = NULL;
	int sndbuf = SWITCH_SNDBUF, i;

	for (i = 0; i < SWITCH_MAX_PORTS && !pt; i++)
		if (sw->ports[i].fd < 0)
			pt = &sw->ports[i];
	if (!pt) {
		sw_log(sw, SWITCH_LOG_WARN,
		       "all %d ports in use: refusing a new connection",
		       SWITCH_MAX_PORTS);
		return -ENOSPC;
	}
	memset(pt, 0, sizeof(*pt));
	pt->fd = fd;
	pt->st.id = sw->next_id++;
	sw->ports_total++;
	/*
	 * The send buffer is the port's queue: a UML that reads in bursts of
	 * its depth loses frames (TCP retransmits) with the default one.
	 * SO_SNDBUFFORCE (CAP_NET_ADMIN) goes past net.core.wmem_max.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (!getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen))
		pt->st.pid = cred.pid;
	/* the peer's bound address (bess src), if it bound one */
	salen = sizeof(sa);
	memset(&sa, 0, sizeof(sa));
	if (!getpeername(fd, (struct sockaddr *)&sa, &salen) &&
	    salen > offsetof(struct sockaddr_un, sun_path) && sa.sun_path[0])
		strscpy(pt->st.name, sa.sun_path, sizeof(pt->st.name));
	sw_log(sw, SWITCH_LOG_INFO, "port %u up: pid %d%s%s", pt->st.id,
	       (int)pt->st.pid, pt->st.name[0] ? ", " : "", pt->st.name);
	return 0;
}

static void port_accept(struct sw *sw)
{
	int fd;

	fd = accept4(sw->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR)
			sw_log(sw, SWITCH_LOG_WARN, "accept: %s",
			       strerror(errno));
		return;
	}
	if (switch_add_port(sw, fd))
		close(fd);
}

static void port_remove(struct sw *sw, int slot)
{
	struct port *pt = &sw->ports[slot];
	int i, n = 0;

	for (i = sw->nfdb - 1; i >= 0; i--)
		if (sw->fdb[i].slot == slot) {
			fdb_del(sw, i);
			n++;
		}
	sw_log(sw, SWITCH_LOG_INFO,
	       "port %u down: pid %d, rx %llu tx %llu frames, %d MACs forgotten",
	       pt->st.id, (int)pt->st.pid, (unsigned long long)pt->st.rx_frames,
	       (unsigned long long)pt->st.tx_frames, n);
	close(pt->fd);
	pt->fd = -1;
	pt->dead = false;
}

static bool hung_up(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDHUP };

	return poll(&p, 1, 0) == 1 &&
	       (p.revents & (POLLHUP | POLLRDHUP | POLLERR));
}

static void enqueue(struct sw *sw, int slot, void *buf, size_t len)
{
	struct port *pt = &sw->ports[slot];
	unsigned int i;

	if (pt->fd < 0 || pt->dead || pt->ntx >= SWITCH_BATCH)
		return; /* cannot happen: at most one batch per round */
	i = pt->ntx++;
	pt->txiov[i].iov_base = buf;
	pt->txiov[i].iov_len = len;
	memset(&pt->txq[i], 0, sizeof(pt->txq[i]));
	pt->txq[i].msg_hdr.msg_iov = &pt->txiov[i];
	pt->txq[i].msg_hdr.msg_iovlen = 1;
	(void)sw;
}

static void flood(struct sw *sw, int in, void *buf, size_t len)
{
	int i;

	for (i = 0; i < SWITCH_MAX_PORTS; i++)
		if (i != in && sw->ports[i].fd >= 0)
			enqueue(sw, i, buf, len);
}

static void flush(struct sw *sw)
{
	struct port *pt;
	unsigned int j;
	int i, n;

	for (i = 0; i < SWITCH_MAX_PORTS; i++) {
		pt = &sw->ports[i];
		if (!pt->ntx)
			continue;
		n = pt->dead ? 0 : sendmmsg_nb(pt->fd, pt->txq, pt->ntx);
		if (n < 0) {
			sw_log(sw, SWITCH_LOG_INFO, "port %u: send: %s",
			       pt->st.id, strerror(-n));
			pt->dead = true;
			n = 0;
		}
		for (j = 0; j < (unsigned int)n; j++)
			pt->st.tx_bytes += pt->txq[j].msg_len;
		pt->st.tx_frames += n;
		pt->st.tx_dropped += pt->ntx - n;
		pt->ntx = 0;
	}
}

/* a copy of a forwarded frame to --mirror and the monitor readers */
static void mirror(struct sw *sw, const unsigned char *f, size_t len)
{
	struct timeval tv;
	uint32_t rec[4];
	struct iovec iov[2] = { { rec, sizeof(rec) }, { (void *)f, len } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
	int i;

	gettimeofday(&tv, NULL);
	rec[0] = tv.tv_sec;
	rec[1] = tv.tv_usec;
	rec[2] = rec[3] = len;
	if (sw->mirror_fd >= 0 &&
	    writev(sw->mirror_fd, iov, 2) != (ssize_t)(sizeof(rec) + len)) {
		sw_log(sw, SWITCH_LOG_WARN, "--mirror: %s: stopped",
		       strerror(errno));
		close(sw->mirror_fd);
		sw->mirror_fd = -1;
	}
	for (i = 0; i < SWITCH_MAX_MON; i++) {
		if (sw->mon[i] < 0)
			continue;
		if (sendmsg(sw->mon[i], &msg, MSG_DONTWAIT | MSG_NOSIGNAL) <
			    0 &&
		    errno != EAGAIN && errno != ENOBUFS) {
			close(sw->mon[i]);
			sw->mon[i] = -1;
		}
	}
}

static void mon_accept(struct sw *sw)
{
	int fd, i;

	fd = accept4(sw->monfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	for (i = 0; i < SWITCH_MAX_MON; i++)
		if (sw->mon[i] < 0) {
			sw->mon[i] = fd;
			sw_log(sw, SWITCH_LOG_INFO, "monitor reader %d up", i);
			return;
		}
	sw_log(sw, SWITCH_LOG_WARN,
	       "%d monitor readers already: refusing another", SWITCH_MAX_MON);
	close(fd);
}

static void forward(struct sw *sw, int in, unsigned char *f, size_t len,
		    long long now)
{
	struct port *pt = &sw->ports[in];
	int i;

	if (f[6] & 1) {
		pt->st.bad_src++;
		return;
	}
	if (sw->mirror_fd >= 0 || sw->nmon)
		mirror(sw, f, len);
	pt->st.rx_frames++;
	pt->st.rx_bytes += len;
	fdb_learn(sw, in, f + 6, now);
	if (f[0] & 1) {
		pt->st.flooded++;
		flood(sw, in, f, len);
		return;
	}
	i = fdb_find(sw, f);
	if (i < 0 || now - sw->fdb[i].seen >= sw->cfg.aging_ms) {
		pt->st.unknown++;
		flood(sw, in, f, len);
	} else if (sw->fdb[i].slot == in) {
		pt->st.filtered++;
	} else {
		enqueue(sw, sw->fdb[i].slot, f, len);
	}
}

static void port_rx(struct sw *sw, int slot, short revents)
{
	struct port *pt = &sw->ports[slot];
	long long now = now_ms();
	int n, i;

	if (!(revents & POLLIN)) {
		if (revents & (POLLHUP | POLLERR))
			pt->dead = true;
		return;
	}
	for (i = 0; i < SWITCH_BATCH; i++)
		sw->rxmsg[i].msg_hdr.msg_flags = 0;
	n = recvmmsg_nb(pt->fd, sw->rxmsg, SWITCH_BATCH);
	if (n < 0) {
		sw_log(sw, SWITCH_LOG_INFO, "port %u: receive: %s", pt->st.id,
		       strerror(-n));
		pt->dead = true;
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned int len = sw->rxmsg[i].msg_len;

		if (sw->rxmsg[i].msg_hdr.msg_flags & MSG_TRUNC) {
			pt->st.oversize++;
			continue;
		}
		/* a zero-length read is the end of the connection... */
		if (len == 0 &&
		    ((revents & (POLLHUP | POLLRDHUP)) || hung_up(pt->fd))) {
			pt->dead = true;
			break;
		}
		/* ...or an empty message: a runt like any other */
		if (len < SWITCH_FRAME_MIN) {
			pt->st.runt++;
			continue;
		}
		forward(sw, slot, sw->rxiov[i].iov_base, len, now);
	}
	flush(sw);
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
	struct pollfd pfd[SWITCH_MAX_PORTS + 3 + SWITCH_MAX_MON];
	int slot[SWITCH_MAX_PORTS + 3 + SWITCH_MAX_MON];
	struct timespec ts;
	long long now;
	int n = 0, i, ret, first_port;

	pfd[n].fd = sw->lfd;
	pfd[n++].events = POLLIN;
	pfd[n].fd = sw->cfd;
	pfd[n++].events = POLLIN;
	pfd[n].fd = sw->monfd;
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
		if (sw->ports[i].fd < 0)
			continue;
		slot[n] = i;
		pfd[n].fd = sw->ports[i].fd;
		pfd[n++].events = POLLIN | POLLRDHUP;
	}
	/* wake at least every second for aging */
	if (timeout_ms < 0 || timeout_ms > 1000)
		timeout_ms = 1000;
	ts.tv_sec = timeout_ms / 1000;
	ts.tv_nsec = (timeout_ms % 1000) * 1000000L;
	ret = ppoll(pfd, n, &ts, sigmask);
	if (ret < 0) {
		if (errno == EINTR)
			return -EINTR;
		return err_set(e, "poll: %s", strerror(errno)), -errno;
	}
	for (i = 3; i < first_port; i++)
		if (pfd[i].revents && sw->mon[slot[i]] >= 0) {
			close(sw->mon[slot[i]]);
			sw->mon[slot[i]] = -1;
			sw->nmon--;
		}
	for (i = first_port; i < n; i++)
		if (pfd[i].revents)
			port_rx(sw, slot[i], pfd[i].revents);
	for (i = 0; i < SWITCH_MAX_PORTS; i++)
		if (sw->ports[i].fd >= 0 && sw->ports[i].dead)
			port_remove(sw, i);
	if (pfd[0].revents & POLLIN)
		port_accept(sw);
	if (pfd[1].revents & POLLIN)
		ctl_accept(sw);
	if (pfd[2].revents & POLLIN) {
		mon_accept(sw);
		sw->nmon++;
	}
	now = now_ms();
	if (now - sw->last_sweep >= 1000 ||
	    now - sw->last_sweep >= sw->cfg.aging_ms / 4) {
		fdb_age(sw, now);
		sw->last_sweep = now;
	}
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
		return err_set(e,
			       "socket path %s is too long (at most %zu bytes)",
			       path, SWITCH_PATH_MAX),
		       -ENAMETOOLONG;
	snprintf(ctl, sizeof(ctl), "%s.ctl", path);
	sun_addr(ctl, &sa);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(e, "socket: %s", strerror(errno)), -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		err_set(e, "%s: %s: is 'umnet switch -s %s' running?", ctl,
			strerror(errno), path);
		goto cleanup;
	}
	n = recv(fd, st, sizeof(*st), MSG_TRUNC);
	if (n < 0) {
		ret = -errno;
		err_set(e, "%s: no status reply: %s", ctl, strerror(errno));
		goto cleanup;
	}
	ret = -EPROTO;
	if ((size_t)n < sizeof(st->hdr) ||
	    st->hdr.magic != SWITCH_STATUS_MAGIC ||
	    st->hdr.version != SWITCH_STATUS_VERSION ||
	    st->hdr.nports > SWITCH_MAX_PORTS ||
	    (size_t)n !=
		    sizeof(st->hdr) + st->hdr.nports * sizeof(st->ports[0])) {
		err_set(e,
			"%s: malformed status reply (%zd bytes): is the switch the same umnet version?",
			ctl, n);
		goto cleanup;
	}
	ret = 0;
cleanup:
	close(fd);
	return ret;
}
