// SPDX-License-Identifier: GPL-2.0
/*
 * Virtio-net headers in the switch (see switch.h): what a port with headers
 * sends, made fit for a port without. The rules are the kernel's: a
 * NEEDS_CSUM frame holds the pseudo-header sum in its checksum field and
 * the sum runs from csum_start to the end (skb_checksum_help); a TCP GSO
 * frame is cut as tcp_gso_segment does (the same headers on each segment,
 * sequence numbers advanced, FIN and PSH only on the last, CWR only on the
 * first, IPv4 IDs counted up).
 */
#include <errno.h>
#include <linux/virtio_net.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>

#include "switch.h"

_Static_assert(sizeof(struct virtio_net_hdr) == SWITCH_VNET_HDR_LEN,
	       "virtio_net_hdr is 10 bytes");

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5 /* linux 5.18 */
#endif
#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define TCP_CWR 0x80

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* ones' complement sum of len bytes, big-endian words, added to sum */
static uint32_t csum_add(uint32_t sum, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* the offset of the IP header: after the Ethernet header and one tag */
static size_t l3_offset(const unsigned char *f, size_t len)
{
	uint16_t type = get16(f + 12);

	if ((type == 0x8100 || type == 0x88a8) && len >= 18)
		return 18;
	return 14;
}

int vnet_hdr_check(const struct virtio_net_hdr *h, const unsigned char *f,
		   size_t len)
{
	unsigned int gso = h->gso_type & ~VIRTIO_NET_HDR_GSO_ECN;

	(void)f;
	if (h->flags &
	    ~(VIRTIO_NET_HDR_F_NEEDS_CSUM | VIRTIO_NET_HDR_F_DATA_VALID))
		return -EINVAL;
	if (gso != VIRTIO_NET_HDR_GSO_NONE && gso != VIRTIO_NET_HDR_GSO_TCPV4 &&
	    gso != VIRTIO_NET_HDR_GSO_TCPV6 && gso != VIRTIO_NET_HDR_GSO_UDP &&
	    gso != VIRTIO_NET_HDR_GSO_UDP_L4)
		return -EINVAL;
	if ((h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
	    (h->csum_start < 14 ||
	     (size_t)h->csum_start + h->csum_offset + 2 > len))
		return -EINVAL;
	if (gso != VIRTIO_NET_HDR_GSO_NONE &&
	    (!h->gso_size || !(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)))
		return -EINVAL;
	return 0;
}

/* a frame sent as is but for its checksum */
static int finish_csum(const struct virtio_net_hdr *h, const unsigned char *f,
		       size_t len, unsigned char *out, size_t outlen,
		       struct iovec *seg, int *nseg)
{
	uint16_t sum;

	if (len > outlen)
		return -ENOSPC;
	memcpy(out, f, len);
	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		sum = csum_fold(
			csum_add(0, out + h->csum_start, len - h->csum_start));
		/* UDP sends a sum of 0 as 0xffff: 0 means none */
		if (!sum && h->csum_offset == 6)
			sum = 0xffff;
		put16(out + h->csum_start + h->csum_offset, sum);
	}
	seg[0].iov_base = out;
	seg[0].iov_len = len;
	*nseg = 1;
	return 0;
}

/* the TCP pseudo-header sum of segment s (IPv4 or IPv6) */
static uint32_t pseudo_sum(const unsigned char *s, size_t l3, bool v6,
			   size_t tcplen)
{
	uint32_t sum;

	if (v6) {
		sum = csum_add(0, s + l3 + 8, 32);
		sum += (uint32_t)(tcplen >> 16) + (tcplen & 0xffff);
	} else {
		sum = csum_add(0, s + l3 + 12, 8);
		sum += (uint32_t)tcplen;
	}
	return sum + 6;
}

int vnet_to_plain(const struct virtio_net_hdr *h, const unsigned char *f,
		  size_t len, unsigned char *out, size_t outlen,
		  struct iovec *seg, int maxseg, int *nseg)
{
	unsigned int gso = h->gso_type & ~VIRTIO_NET_HDR_GSO_ECN;
	size_t l3, l4, hlen, pay, off, n, used = 0;
	uint32_t seq, sum;
	uint16_t id = 0;
	bool v6;
	int i, count;

	*nseg = 0;
	if (vnet_hdr_check(h, f, len))
		return -EINVAL;
	if (maxseg < 1)
		return -ENOSPC;
	if (gso == VIRTIO_NET_HDR_GSO_NONE)
		return finish_csum(h, f, len, out, outlen, seg, nseg);
	if (gso != VIRTIO_NET_HDR_GSO_TCPV4 && gso != VIRTIO_NET_HDR_GSO_TCPV6)
		return -EPROTONOSUPPORT;
	v6 = gso == VIRTIO_NET_HDR_GSO_TCPV6;
	l3 = l3_offset(f, len);
	l4 = h->csum_start;
	if (h->csum_offset != 16 || l4 < l3 + (v6 ? 40 : 20) || l4 + 20 > len ||
	    (f[l3] >> 4) != (v6 ? 6 : 4))
		return -EINVAL;
	hlen = l4 + (f[l4 + 12] >> 4) * 4;
	if ((f[l4 + 12] >> 4) < 5 || hlen > len)
		return -EINVAL;
	pay = len - hlen;
	count = pay ? (int)((pay + h->gso_size - 1) / h->gso_size) : 1;
	if (count > maxseg || pay + (size_t)count * hlen > outlen)
		return -ENOSPC;
	seq = (uint32_t)get16(f + l4 + 4) << 16 | get16(f + l4 + 6);
	if (!v6)
		id = get16(f + l3 + 4);
	for (i = 0, off = 0; i < count; i++, off += n) {
		unsigned char *s = out + used, *th = s + l4;
		uint32_t sq = seq + (uint32_t)off;

		n = pay - off < h->gso_size ? pay - off : h->gso_size;
		memcpy(s, f, hlen);
		memcpy(s + hlen, f + hlen + off, n);
		if (v6) {
			put16(s + l3 + 4, (uint16_t)(hlen + n - l3 - 40));
		} else {
			put16(s + l3 + 2, (uint16_t)(hlen + n - l3));
			put16(s + l3 + 4, (uint16_t)(id + i));
			put16(s + l3 + 10, 0);
			put16(s + l3 + 10,
			      csum_fold(csum_add(0, s + l3, (f[l3] & 15) * 4)));
		}
		put16(th + 4, sq >> 16);
		put16(th + 6, sq & 0xffff);
		if (i < count - 1)
			th[13] &= ~(TCP_FIN | TCP_PSH);
		if (i > 0)
			th[13] &= ~TCP_CWR;
		put16(th + 16, 0);
		sum = pseudo_sum(s, l3, v6, hlen + n - l4);
		sum = csum_add(sum, th, hlen + n - l4);
		put16(th + 16, csum_fold(sum));
		seg[i].iov_base = s;
		seg[i].iov_len = hlen + n;
		used += hlen + n;
	}
	*nseg = count;
	return 0;
}
