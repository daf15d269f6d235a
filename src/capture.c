// SPDX-License-Identifier: GPL-2.0
/*
 * pcap_stream (capture.h): split libpcap's file format into its 24-byte
 * file header and its records (16-byte header, incl_len bytes of frame)
 * and write only whole ones.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

#define MAGIC_US 0xa1b2c3d4u
#define MAGIC_NS 0xa1b23c4du
#define PCAP_VERSION (2 | (4u << 16)) /* 2.4, as two 16-bit halves */
#define PCAP_SNAPLEN 262144 /* tcpdump's default */
#define LINKTYPE_ETHERNET 1

void pcap_stream_init(struct pcap_stream *ps, int fd)
{
	memset(ps, 0, sizeof(*ps));
	ps->fd = fd;
}

static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= w;
	}
	return 0;
}

static uint32_t get32(const unsigned char *p, bool swapped)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

/* bytes the piece at the start of buf needs in all; 0 = not known yet */
static size_t need(const struct pcap_stream *ps)
{
	if (!ps->have_hdr)
		return PCAP_HDR_LEN;
	if (ps->len < PCAP_REC_HDR_LEN)
		return PCAP_REC_HDR_LEN;
	return PCAP_REC_HDR_LEN + get32(ps->buf + 8, ps->swapped);
}

int pcap_stream_feed(struct pcap_stream *ps, const char *data, size_t n)
{
	size_t want, take;
	uint32_t magic;
	int ret;

	if (!ps->buf) {
		ps->cap = PCAP_REC_HDR_LEN + PCAP_REC_MAX;
		ps->buf = malloc(ps->cap);
		if (!ps->buf)
			return -ENOMEM;
	}
	while (n) {
		want = need(ps);
		take = want - ps->len;
		if (take > n)
			take = n;
		memcpy(ps->buf + ps->len, data, take);
		ps->len += take;
		data += take;
		n -= take;
		if (ps->len < want)
			continue;
		if (need(ps) > ps->cap)
			return -EPROTO; /* no snaplen is that big */
		if (need(ps) > ps->len)
			continue; /* the record header: now its frame */
		if (!ps->have_hdr) {
			memcpy(&magic, ps->buf, 4);
			if (magic == MAGIC_US || magic == MAGIC_NS)
				ps->swapped = false;
			else if (__builtin_bswap32(magic) == MAGIC_US ||
				 __builtin_bswap32(magic) == MAGIC_NS)
				ps->swapped = true;
			else
				return -EPROTO;
			ps->have_hdr = true;
		} else {
			ps->packets++;
			ps->bytes += ps->len - PCAP_REC_HDR_LEN;
		}
		ret = write_all(ps->fd, ps->buf, ps->len);
		if (ret)
			return ret;
		ps->len = 0;
	}
	return 0;
}

long pcap_stream_finish(struct pcap_stream *ps)
{
	static const uint32_t hdr[6] = { MAGIC_US,     PCAP_VERSION,	 0, 0,
					 PCAP_SNAPLEN, LINKTYPE_ETHERNET };
	long partial = ps->have_hdr ? (long)ps->len : 0;
	int ret;

	if (!ps->have_hdr) {
		ret = write_all(ps->fd, hdr, sizeof(hdr));
		if (ret)
			return ret;
		ps->have_hdr = true;
	}
	ps->len = 0;
	return partial;
}

void pcap_stream_free(struct pcap_stream *ps)
{
	free(ps->buf);
	ps->buf = NULL;
}
