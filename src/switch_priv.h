/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The switch's insides, shared by its files:
 *   switch.c        sockets, the poll loop, the control socket (status)
 *   switch_fwd.c    ports, the forwarding database, receive and send
 *   switch_vnet.c   virtio-net headers: checks, checksums, segmentation
 *   switch_l2tp.c   remote ports: L2TPv3 over UDP, their options
 */
#ifndef UMNET_SWITCH_PRIV_H
#define UMNET_SWITCH_PRIV_H

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/virtio_net.h>

#include "pcapring.h"
#include "resolve.h"
#include "switch.h"

/* a remote port's name: tried again this long after a failed lookup */
#define SWITCH_LOOKUP_RETRY_MS 1000

/* one receive slot: room for a header, then the frame; 16-byte aligned */
#define SWITCH_SLOT ((SWITCH_VNET_HDR_LEN + SWITCH_FRAME_MAX + 15) & ~15)

struct port {
	int fd; /* -1: slot free */
	bool dead; /* hung up or failed: removed after this round */
	bool vnet; /* frames carry a virtio-net header */
	bool warned; /* a bad header was logged once */
	/* a remote port (L2TPv3): fd is the switch's UDP socket, not its own */
	bool l2tp;
	struct sockaddr_storage addr; /* the peer's; alen 0: not resolved */
	socklen_t alen;
	unsigned char l2hdr[SWITCH_L2TP_HDR_LEN]; /* what goes in front */
	const struct switch_l2tp_peer *peer; /* in sw->peers */
	struct resolve_async *lookup; /* its name being looked up, or NULL */
	long long next_lookup; /* after a failed lookup: not before then */
	struct switch_port_stats st;
	struct mmsghdr txq[SWITCH_BATCH];
	struct iovec txiov[SWITCH_BATCH][2]; /* [the L2TPv3 header,] frame */
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
	char vnet_path[sizeof(((struct sockaddr_un *)0)->sun_path) + 5];
	int lfd, vfd, cfd, monfd, nmon;
	int ufd; /* --l2tp: the UDP socket of the remote ports, -1: none */
	struct switch_l2tp_peer *peers; /* a copy of cfg.peers */
	uint64_t l2tp_short, bad_session;
	long long last_resolve; /* 0: never (the loop's first round does) */
	int rfd; /* eventfd: a lookup ended (resolve_start), -1: none */
	int mon[SWITCH_MAX_MON]; /* monitor readers, -1: free */
	struct pcap_ring mirror; /* --mirror FILE, .fd -1: none */
	long long start, last_sweep;
	uint64_t ports_total;
	uint32_t next_id;
	struct port ports[SWITCH_MAX_PORTS];
	struct fdb_entry fdb[SWITCH_FDB_MAX];
	int nfdb;
	/* receive batch: SWITCH_BATCH slots of SWITCH_SLOT bytes */
	unsigned char *rxbuf;
	struct mmsghdr rxmsg[SWITCH_BATCH];
	struct iovec rxiov[SWITCH_BATCH];
	/* a frame with a header made fit for a port without one */
	unsigned char *segbuf; /* SWITCH_SEG_BUF bytes */
	struct mmsghdr segmsg[SWITCH_GSO_SEGS_MAX];
	struct iovec segiov[SWITCH_GSO_SEGS_MAX];
	struct iovec segv[SWITCH_GSO_SEGS_MAX][2];
	/* a batch from the UDP socket: the L2TPv3 header apart, the frame */
	unsigned char l2rx[SWITCH_BATCH][SWITCH_L2TP_HDR_LEN];
	struct sockaddr_storage l2from[SWITCH_BATCH];
	struct mmsghdr l2msg[SWITCH_BATCH];
	struct iovec l2iov[SWITCH_BATCH][2];
};

__attribute__((format(printf, 3, 4))) void
sw_log(const struct sw *sw, enum switch_log_level level, const char *fmt, ...);

/* switch_fwd.c */
void port_accept(struct sw *sw, int lfd, bool vnet);
void port_remove(struct sw *sw, int slot);
void port_rx(struct sw *sw, int slot, short revents);
void mon_accept(struct sw *sw);
void fdb_age(struct sw *sw, long long now);
/* frame f (its header h in front) from the port in slot in, at now */
void port_forward(struct sw *sw, int in, struct virtio_net_hdr *h,
		  unsigned char *f, size_t len, long long now);
/* send what each port has queued */
void ports_flush(struct sw *sw);
/* the port in a free slot, numbered; NULL: all in use (logged) */
struct port *port_new(struct sw *sw);

/* switch_l2tp.c */
int sw_l2tp_open(struct sw *sw, struct err *e);
void sw_l2tp_rx(struct sw *sw);
void sw_l2tp_resolve(struct sw *sw, long long now);

#endif
