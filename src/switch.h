/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A learning Ethernet switch whose ports are SOCK_SEQPACKET unix socket
 * connections, one frame per message: the far end of UML's bess transport
 * (vector_user.c: user_init_unix_fds). `umnet switch` runs it as a daemon.
 *
 * PATH          listening socket; every accepted connection is a port
 * PATH.vnet     the same for ports whose frames carry a struct
 *               virtio_net_hdr in front (bess with vnet_hdr=1, umnet's
 *               kernel patch 0006): TSO/GSO frames of up to 64 KiB and
 *               partial checksums. A port declares this by the socket it
 *               connects to; nothing in the frames could say it.
 * PATH.ctl      control socket: every connection gets one message, a
 *               struct switch_status_hdr and its ports, then is closed
 * PATH.mon      monitor socket (0600): every connection gets a copy of
 *               each frame the switch forwards, one message each, as a
 *               pcap record (16-byte record header, then the frame); a
 *               reader that falls behind loses frames, not the switch
 *
 * Frames are read and written in batches (recvmmsg/sendmmsg). A frame
 * shorter than an Ethernet header (14 bytes) is a runt, one longer than
 * SWITCH_FRAME_MAX is oversized: both are counted on their port and
 * dropped.
 *
 * Between ports of the two kinds the switch converts: a frame from a port
 * without the header gets an empty one (nothing offloaded); a frame from a
 * header port to one without has its checksum completed when the header
 * asks for that, and a GSO frame is cut into segments of gso_size (TCP
 * over IPv4 or IPv6, as the stack would). A frame whose header makes no
 * sense is counted (bad_hdr) and dropped, and the first one of each port
 * is logged: a peer on PATH.vnet that sends no header shows up there.
 *
 * Remote ports (--l2tp, switch_l2tp.c): L2TPv3 over UDP as UML's l2tpv3
 * transport sends it with udp = 1 (arch/um/drivers/vector_transports.c):
 * each datagram is a 4-byte word 0x00030000 (a data message, version 3),
 * the 32-bit session id, a 32-bit cookie, then the plain Ethernet frame;
 * no L2-specific sublayer, no counter (counter = 0, UML's default). The
 * switch listens on one UDP socket; each remote port is a peer address
 * and port with its own rx/tx session and cookie. A datagram is matched
 * to its port by its session; one with a session of no port, or too short
 * for the header, is counted on the switch (bad_session, l2tp_short) and
 * dropped; one with the right session and a wrong cookie is counted on
 * its port (bad_cookie) and dropped. An accepted datagram from another
 * address than the port's moves the port there (a pod that restarted).
 * A peer given by name is resolved when the switch starts, then every
 * second until it resolves. Remote ports carry plain frames: the switch
 * converts as for a unix port without headers.
 *
 * Source MACs are learned per port and forgotten after aging_ms
 * without a frame from them, or when their port goes away. Broadcast,
 * multicast and unknown unicast frames are flooded to every other port.
 *
 * Library code: returns -errno, fills struct err, reports events through
 * the log callback, never prints.
 */
#ifndef UMNET_SWITCH_H
#define UMNET_SWITCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/un.h>

#include "util.h"

#define SWITCH_MAX_PORTS 128
#define SWITCH_FDB_MAX 4096
#define SWITCH_BATCH 32
#define SWITCH_FRAME_MIN 14
/* the largest IP packet plus the Ethernet header: what a GRO=1 peer sends */
#define SWITCH_FRAME_MAX (65535 + 14)
/* sun_path minus ".vnet" for the header socket, minus the NUL */
#define SWITCH_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 6)
/*
 * each port's send queue in bytes (the kernel doubles it for overhead):
 * 128 frames of 64 KiB from header ports
 */
#define SWITCH_SNDBUF (8 * 1024 * 1024)
/* struct virtio_net_hdr, legacy layout, as UML's vector driver sends it */
#define SWITCH_VNET_HDR_LEN 10
/* a GSO frame cut for a port without headers: at most this many segments */
#define SWITCH_GSO_SEGS_MAX 1024
/* their bytes: the payload once, the headers (at most 138) each time */
#define SWITCH_SEG_BUF (SWITCH_FRAME_MAX + SWITCH_GSO_SEGS_MAX * 160)
#define SWITCH_AGING_DEFAULT_S 300
#define SWITCH_AGING_MAX_S 86400

#define SWITCH_STATUS_MAGIC 0x756d7377u /* "umsw" */
#define SWITCH_STATUS_VERSION 3

/* L2TPv3 over UDP (remote ports): flags word, session, 32-bit cookie */
#define SWITCH_L2TP_HDR_LEN 12
#define SWITCH_L2TP_DATA 0x00030000u /* the flags word of a data message */
#define SWITCH_L2TP_PEERS_MAX 64
#define SWITCH_L2TP_HOST_MAX 253 /* a DNS name */

/*
 * One remote port: where frames for it go, and the ids of its L2TPv3
 * session (rx: what the peer sends, tx: what it expects)
 */
struct switch_l2tp_peer {
	char host[SWITCH_L2TP_HOST_MAX + 1]; /* an address or a DNS name */
	unsigned int port;
	uint32_t rx_session, tx_session, rx_cookie, tx_cookie;
};

enum switch_log_level {
	SWITCH_LOG_WARN,
	SWITCH_LOG_INFO, /* ports coming and going (-v) */
	SWITCH_LOG_DEBUG, /* MACs learned, moved, aged out (-vv) */
};

struct switch_config {
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	unsigned int aging_ms;
	/*
	 * the frame socket's mode (0: 0666). Who may connect is the socket
	 * directory's business: a lab's sit in a dir only its nodes reach.
	 * The control socket is always 0600.
	 */
	unsigned int mode;
	/* optional: events, one line each, without a newline */
	void (*log)(void *arg, enum switch_log_level level, const char *msg);
	void *log_arg;
	/*
	 * optional: a pcap file of every frame forwarded (--mirror), or a
	 * ring of mirror_files files of mirror_size bytes each (pcapring.h;
	 * mirror_size 0: one file without a cap)
	 */
	const char *mirror;
	unsigned long long mirror_size;
	unsigned int mirror_files;
	/*
	 * optional: the UDP address remote ports use (--l2tp ADDR:PORT;
	 * l2tp_addr "": none) and the remote ports (--l2tp-peer)
	 */
	char l2tp_addr[64];
	unsigned int l2tp_port;
	const struct switch_l2tp_peer *peers;
	int npeers;
};

#define SWITCH_MAX_MON 8 /* readers of PATH.mon at once */
/* --mirror-size: at most; --mirror-files: by default */
#define SWITCH_MIRROR_SIZE_MAX (64ULL << 30)
#define SWITCH_MIRROR_FILES_DEFAULT 4

/* the counters of one port; also the wire format of the control socket */
struct switch_port_stats {
	uint32_t id; /* port number: from 1, never reused while running */
	int32_t pid; /* the peer's pid (SO_PEERCRED), 0 when unknown */
	char name[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* its src */
	uint32_t macs; /* MAC addresses learned on it now */
	uint32_t vnet; /* 1: frames carry a virtio-net header (PATH.vnet) */
	uint64_t rx_frames, rx_bytes; /* accepted frames received */
	uint64_t tx_frames, tx_bytes; /* frames sent to the peer */
	uint64_t flooded; /* received broadcast/multicast, sent to all */
	uint64_t unknown; /* received unicast to an unknown MAC, sent to all */
	uint64_t filtered; /* received unicast to a MAC on this same port */
	uint64_t runt; /* received < SWITCH_FRAME_MIN bytes, dropped */
	uint64_t oversize; /* received > SWITCH_FRAME_MAX bytes, dropped */
	uint64_t bad_src; /* received with a multicast source MAC, dropped */
	uint64_t tx_dropped; /* not sent: the peer's queue was full */
	uint64_t bad_hdr; /* received with a malformed virtio-net header */
	uint64_t segmented; /* GSO frames cut into segments for this port */
	uint32_t l2tp; /* 1: a remote port (L2TPv3 over UDP); name: its peer */
	uint32_t pad;
	uint64_t bad_cookie; /* L2TPv3: its session, a wrong cookie: dropped */
};

struct switch_status_hdr {
	uint32_t magic, version;
	int32_t pid; /* the switch's */
	uint32_t nports;
	uint32_t aging_ms;
	uint32_t fdb; /* MAC addresses learned, all ports */
	uint64_t uptime_ms;
	uint64_t ports_total; /* ports accepted since start */
	/* L2TPv3 datagrams of no port: too short, or an unknown session */
	uint64_t l2tp_short, bad_session;
};

struct switch_status {
	struct switch_status_hdr hdr;
	struct switch_port_stats ports[SWITCH_MAX_PORTS];
};

struct sw;

/*
 * Check cfg without changing anything (-n): path length, its directory,
 * no other switch listening on it, aging in range.
 */
int switch_check(const struct switch_config *cfg, struct err *e);

/*
 * bind and listen on cfg->path, cfg->path.vnet, cfg->path.ctl and
 * cfg->path.mon (stale sockets replaced)
 */
int switch_open(struct sw **out, const struct switch_config *cfg,
		struct err *e);

/*
 * Wait up to timeout_ms (with sigmask during the wait when not NULL, as
 * ppoll) and handle what is ready: new ports, frames, status requests,
 * hang-ups, aging. Returns 0, -EINTR when a signal arrived, or -errno of a
 * failure that stops the switch (with e).
 */
int switch_run_once(struct sw *sw, int timeout_ms, const sigset_t *sigmask,
		    struct err *e);

/* the counters now, as the control socket sends them */
void switch_get_status(const struct sw *sw, struct switch_status *st);

/*
 * For tests and the fuzzer: a switch without listening sockets (nothing on
 * the filesystem), and a connected non-blocking SOCK_SEQPACKET fd made one
 * of its ports (the switch owns it from then on; -ENOSPC when all ports are
 * in use). switch_open is switch_new plus the two listening sockets.
 */
int switch_new(struct sw **out, const struct switch_config *cfg);
int switch_add_port(struct sw *sw, int fd);
/* the same for a port whose frames carry a virtio-net header when vnet */
int switch_add_port_hdr(struct sw *sw, int fd, bool vnet);

/*
 * L2TPv3 (switch_l2tp.c), pure functions for the options and the header:
 * switch_l2tp_listen_parse: "ADDR:PORT" or "[ADDR6]:PORT" of --l2tp.
 * switch_l2tp_peer_parse: "HOST:PORT,rx_session=N,tx_session=N,
 * rx_cookie=N,tx_cookie=N" of --l2tp-peer (the keys of UML's transport).
 * l2tp_hdr_put writes the 12 bytes in front of a frame sent to a peer;
 * l2tp_hdr_get reads them: 0, or -EMSGSIZE (shorter than a header),
 * -EPROTO (not a data message of version 3).
 */
int switch_l2tp_listen_parse(const char *arg, char *addr, size_t len,
			     unsigned int *port, struct err *e);
int switch_l2tp_peer_parse(const char *arg, struct switch_l2tp_peer *p,
			   struct err *e);
/* the UDP port of --l2tp (its bound one: port 0 picks), -1: none */
int switch_l2tp_port(const struct sw *sw);
void l2tp_hdr_put(unsigned char *h, uint32_t session, uint32_t cookie);
int l2tp_hdr_get(const unsigned char *h, size_t len, uint32_t *session,
		 uint32_t *cookie);

/* close every port and both sockets, remove the socket files */
void switch_close(struct sw *sw);

/* ask a running switch at path (via path.ctl) for its status */
int switch_status_fetch(const char *path, struct switch_status *st,
			struct err *e);

/*
 * Vector I/O on a non-blocking socket: retry on EINTR, 0 on EAGAIN,
 * else the number of messages or -errno.
 */
struct mmsghdr;
int recvmmsg_nb(int fd, struct mmsghdr *msgs, unsigned int n);
int sendmmsg_nb(int fd, struct mmsghdr *msgs, unsigned int n);

/*
 * Virtio-net headers (switch_vnet.c), pure functions on one frame f of len
 * bytes (from its Ethernet header on) and the header h that came with it.
 *
 * vnet_hdr_check: 0 when h is one a vector driver sends for f (flags,
 * GSO type, checksum offsets inside the frame), else -EINVAL.
 *
 * vnet_to_plain: f made fit for a peer without headers, written to out
 * (outlen bytes) as *nseg frames described by seg[0..maxseg-1]: the frame
 * with its checksum completed (NEEDS_CSUM), or a TCP GSO frame cut into
 * segments of gso_size with their IP lengths, IDs and checksums, TCP
 * sequence numbers, flags and checksums. Returns 0, -EINVAL (malformed),
 * -EPROTONOSUPPORT (a GSO type other than TCP), -ENOSPC (too many
 * segments for seg or out).
 */
struct virtio_net_hdr;
struct iovec;
int vnet_hdr_check(const struct virtio_net_hdr *h, const unsigned char *f,
		   size_t len);
int vnet_to_plain(const struct virtio_net_hdr *h, const unsigned char *f,
		  size_t len, unsigned char *out, size_t outlen,
		  struct iovec *seg, int maxseg, int *nseg);

#endif
