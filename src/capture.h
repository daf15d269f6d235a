/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet capture of a node interface (docs/capture.md): tcpdump runs in the
 * node and writes pcap to its stdout, which the exec agent carries to the
 * host as base64 frames. pcap_stream passes that stream on record by
 * record, so that whatever ends the capture (Ctrl-C, the node going away,
 * a count) leaves a file that ends on a whole record: a valid pcap file.
 * Never prints.
 */
#ifndef UMNET_CAPTURE_H
#define UMNET_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCAP_HDR_LEN 24
#define PCAP_REC_HDR_LEN 16
#define PCAP_REC_MAX (256 * 1024 + 64) /* tcpdump's largest snaplen */

struct pcap_stream {
	int fd; /* where the file goes */
	unsigned char *buf; /* a header or record not yet complete */
	size_t len, cap;
	bool have_hdr, swapped;
	unsigned long long packets, bytes;
};

void pcap_stream_init(struct pcap_stream *ps, int fd);
/*
 * Take n more bytes of tcpdump's output; write every whole record. Returns
 * 0, -EPROTO when it is no pcap stream, or -errno of the write (-EPIPE:
 * the reader went away).
 */
int pcap_stream_feed(struct pcap_stream *ps, const char *data, size_t n);
/*
 * The end: a stream that never sent its header gets one (Ethernet, as
 * tcpdump on a vecN writes), so even an empty capture is a valid file.
 * Returns the number of bytes of a partial record left out, or -errno.
 */
long pcap_stream_finish(struct pcap_stream *ps);
void pcap_stream_free(struct pcap_stream *ps);

#endif
