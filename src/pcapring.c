// SPDX-License-Identifier: GPL-2.0
/* A pcap file or a ring of them (pcapring.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "pcapring.h"

#define PCAP_MAGIC 0xa1b2c3d4u /* microseconds, in the writer's byte order */
#define LINKTYPE_ETHERNET 1

int pcap_ring_file(const char *path, unsigned int k, char *out, size_t len)
{
	return k ? path_fmt(out, len, "%s.%u", path, k)
		 : path_fmt(out, len, "%s", path);
}

/* write all of iov or fail: a short write to a file means a full disk */
static int write_all(int fd, struct iovec *iov, int n, size_t total)
{
	ssize_t w = writev(fd, iov, n);

	if (w < 0)
		return -errno;
	return (size_t)w == total ? 0 : -ENOSPC;
}

/* the pcap file header on r->fd; the ring is closed if that fails */
static int put_header(struct pcap_ring *r)
{
	const uint32_t hdr[6] = {
		PCAP_MAGIC, 2 | (4u << 16), 0, 0, r->snaplen, LINKTYPE_ETHERNET
	};
	struct iovec iov = { (void *)hdr, sizeof(hdr) };
	int ret = write_all(r->fd, &iov, 1, sizeof(hdr));

	if (ret) {
		pcap_ring_close(r);
		return ret;
	}
	r->size = sizeof(hdr);
	return 0;
}

static int start_file(struct pcap_ring *r)
{
	r->fd = open(r->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (r->fd < 0)
		return -errno;
	return put_header(r);
}

int pcap_ring_fdopen(struct pcap_ring *r, int fd, const char *name,
		     uint32_t snaplen, struct err *e)
{
	int ret;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	if (!snaplen)
		return errf(e, -EINVAL, "%s: a snap length of 0", name);
	strscpy(r->path, name, sizeof(r->path));
	r->snaplen = snaplen;
	r->files = 1;
	r->fd = fd;
	r->borrowed = true;
	ret = put_header(r);
	if (ret)
		return errf(e, ret, "%s: %s", name, strerror(-ret));
	return 0;
}

/* PATH.k -> PATH.k+1 from the oldest down (the last one goes), PATH -> PATH.1 */
static int shift_files(struct pcap_ring *r)
{
	char from[sizeof(r->path)], to[sizeof(r->path)];
	unsigned int k;
	int ret;

	for (k = r->files - 1; k > 0; k--) {
		if ((ret = pcap_ring_file(r->path, k - 1, from,
					  sizeof(from))) ||
		    (ret = pcap_ring_file(r->path, k, to, sizeof(to))))
			return ret;
		if (rename(from, to) && errno != ENOENT)
			return -errno;
	}
	return 0;
}

int pcap_ring_open(struct pcap_ring *r, const char *path, uint32_t snaplen,
		   uint64_t size_max, unsigned int files, struct err *e)
{
	char old[sizeof(r->path)];
	unsigned int k;
	int ret;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	if (!snaplen)
		return errf(e, -EINVAL, "%s: a snap length of 0", path);
	if (!files || files > PCAP_RING_FILES_MAX || (!size_max && files != 1))
		return errf(
			e, -EINVAL,
			"%s: %u files: a ring keeps 1..%d files, and more than one only with a size cap",
			path, files, PCAP_RING_FILES_MAX);
	if (size_max && size_max < PCAP_RING_SIZE_MIN)
		return errf(e, -EINVAL,
			    "%s: a size cap of %llu bytes: at least %d", path,
			    (unsigned long long)size_max, PCAP_RING_SIZE_MIN);
	ret = path_fmt(r->path, sizeof(r->path), "%s", path);
	if (ret)
		return errf(e, ret, "%.64s...: path too long", path);
	r->snaplen = snaplen;
	r->size_max = size_max;
	r->files = files;
	/*
	 * What an earlier run left (a restarted switch or recorder): its
	 * files move one down the ring, as at a rotation, so nothing recorded
	 * before is lost while it fits; files past this ring's count go.
	 */
	for (k = PCAP_RING_FILES_MAX; k >= files; k--) {
		ret = pcap_ring_file(path, k, old, sizeof(old));
		if (ret)
			return errf(e, ret, "%.64s...: path too long", path);
		if (unlink(old) && errno != ENOENT)
			return errf(e, -errno, "%s: %m", old);
	}
	if (files > 1 && !access(path, F_OK)) {
		ret = shift_files(r);
		if (ret)
			return errf(e, ret, "%s: %s", path, strerror(-ret));
	}
	ret = start_file(r);
	if (ret)
		return errf(e, ret, "%s: %s", path, strerror(-ret));
	return 0;
}

/* the file in use is full: the ring moves on and a new PATH starts */
static int rotate(struct pcap_ring *r)
{
	int ret;

	close(r->fd);
	r->fd = -1;
	if (r->files > 1 && (ret = shift_files(r)))
		return ret;
	r->rotations++;
	return start_file(r);
}

int pcap_ring_write(struct pcap_ring *r, const struct timeval *tv,
		    const void *frame, size_t len)
{
	return pcap_ring_put(r, tv, frame, len, len);
}

int pcap_ring_put(struct pcap_ring *r, const struct timeval *tv,
		  const void *frame, size_t caplen, size_t len)
{
	uint32_t rec[4] = { (uint32_t)tv->tv_sec, (uint32_t)tv->tv_usec,
			    (uint32_t)caplen, (uint32_t)len };
	struct iovec iov[2] = { { rec, sizeof(rec) },
				{ (void *)frame, caplen } };
	size_t total;
	int ret;

	if (caplen > r->snaplen)
		caplen = r->snaplen;
	if (caplen > len)
		caplen = len;
	rec[2] = (uint32_t)caplen;
	iov[1].iov_len = caplen;
	total = sizeof(rec) + caplen;
	if (r->fd < 0)
		return -EBADF;
	if (r->size_max && r->size + total > r->size_max &&
	    r->size > 24 /* never rotate an empty file */) {
		ret = rotate(r);
		if (ret)
			goto cleanup;
	}
	ret = write_all(r->fd, iov, 2, total);
	if (ret)
		goto cleanup;
	r->size += total;
	r->frames++;
	r->bytes += len;
cleanup:
	if (ret)
		pcap_ring_close(r);
	return ret;
}

void pcap_ring_close(struct pcap_ring *r)
{
	if (r->fd >= 0 && !r->borrowed)
		close(r->fd);
	r->fd = -1;
}
