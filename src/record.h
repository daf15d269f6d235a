/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Record a host interface into a pcap ring (pcapring.h): what a lab's
 * `capture = yes` runs for a link that has a host end (kind = netns: the
 * veth end in the host namespace). An AF_PACKET socket sees both
 * directions once each. Never prints.
 */
#ifndef UMNET_RECORD_H
#define UMNET_RECORD_H

#include <signal.h>

#include "pcapring.h"
#include "util.h"

/* frames up to this size are kept whole (a GRO/TSO frame on a veth) */
#define RECORD_SNAPLEN (256 * 1024)
/* the socket's buffer: a burst while the disk is slow */
#define RECORD_RCVBUF (8 * 1024 * 1024)
/* how often record_follow looks for an interface that is not there */
#define RECORD_FOLLOW_POLL_US 20000

/*
 * An AF_PACKET socket on ifname, in network namespace netns (NULL: this
 * one). Needs CAP_NET_RAW (and CAP_SYS_ADMIN to enter netns). Returns the
 * fd or -errno with a message in e.
 */
int record_open(const char *netns, const char *ifname, struct err *e);
/*
 * Write every frame the socket sees into r until *stop is set (checked at
 * least every 200 ms) or the interface goes away (returns 0). -errno on a
 * failed write (the disk), with a message in e.
 */
int record_loop(int fd, struct pcap_ring *r, volatile sig_atomic_t *stop,
		struct err *e);
/*
 * Follow ifname in netns: wait until it exists (the namespace too), record
 * it until it goes away, wait for it again, ... until *stop. For a lab's
 * node end that comes and goes as the node restarts. 0 at *stop, or
 * -errno of the ring (the disk) or of an error other than "not there".
 */
int record_follow(const char *netns, const char *ifname, struct pcap_ring *r,
		  volatile sig_atomic_t *stop, struct err *e);

#endif
