/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pcap file, or a ring of them, written frame by frame (docs/capture.md):
 * `umnet switch --mirror` and a lab link's `capture = yes`. With a size
 * cap, the file in use is PATH; when the next frame would take it past the
 * cap it becomes PATH.1 (PATH.1 becomes PATH.2, ..., the oldest goes), and
 * a new PATH starts with its own header, so every file is a valid pcap
 * file on its own and the ring never holds more than files * size bytes.
 * Never prints.
 */
#ifndef UMNET_PCAPRING_H
#define UMNET_PCAPRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include "util.h"

/* how many files a ring may keep, and the smallest size cap */
#define PCAP_RING_FILES_MAX 64
#define PCAP_RING_SIZE_MIN (64 * 1024)

struct pcap_ring {
	char path[4096];
	int fd; /* -1: closed (never opened, or stopped by a write error) */
	bool borrowed; /* fd is the caller's (pcap_ring_fdopen): not closed */
	uint32_t snaplen;
	uint64_t size_max; /* per file; 0: one file, no cap */
	unsigned int files; /* files kept, the one in use included */
	uint64_t size; /* bytes in the file in use */
	uint64_t frames, bytes, rotations;
};

/*
 * Start PATH (truncated) with a pcap header for Ethernet frames of at most
 * snaplen bytes. size_max 0: one file without a cap (files must be 1);
 * else a ring of files (1..PCAP_RING_FILES_MAX) files, each at most
 * size_max (>= PCAP_RING_SIZE_MIN) bytes. What an earlier ring at PATH
 * left moves one file down (PATH becomes PATH.1, ...: a restarted writer
 * loses nothing that fits); files past this ring's count are removed; one
 * file without a ring is truncated. 0 or -errno, with a message in e.
 */
int pcap_ring_open(struct pcap_ring *r, const char *path, uint32_t snaplen,
		   uint64_t size_max, unsigned int files, struct err *e);
/*
 * The same writer on an fd the caller opened and closes (stdout into a
 * pipe, a file of `umnet lab capture -w`): the pcap header goes now; one
 * file, no cap, never rotated; name is what messages call it. 0 or -errno,
 * with a message in e.
 */
int pcap_ring_fdopen(struct pcap_ring *r, int fd, const char *name,
		     uint32_t snaplen, struct err *e);
/*
 * One frame of len bytes (the first snaplen of them are kept), seen at tv.
 * 0 or -errno (-EPIPE: a reader at the other end of a pipe went away);
 * after an error the ring is closed and further writes are no-ops
 * returning -EBADF.
 */
int pcap_ring_write(struct pcap_ring *r, const struct timeval *tv,
		    const void *frame, size_t len);
/*
 * The same for a frame of len bytes of which only the first caplen are
 * at frame (cut short already, e.g. a record of the switch's monitor).
 */
int pcap_ring_put(struct pcap_ring *r, const struct timeval *tv,
		  const void *frame, size_t caplen, size_t len);
void pcap_ring_close(struct pcap_ring *r);

/* the name of the k-th file of the ring at path (0: path itself) */
int pcap_ring_file(const char *path, unsigned int k, char *out, size_t len);

#endif
