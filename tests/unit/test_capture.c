// SPDX-License-Identifier: GPL-2.0
/*
 * pcap_stream (src/capture.c): tcpdump's pcap output arrives in pieces of
 * any size; only whole records reach the file, so a capture cut anywhere
 * is still a valid pcap file.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture.h"
#include "unit.h"

static size_t build(unsigned char *buf)
{
	static const uint32_t hdr[6] = { 0xa1b2c3d4, 2 | (4u << 16), 0,
					 0,	     262144,	     1 };
	static const uint32_t lens[] = { 60, 0, 1514, 98 };
	size_t off = sizeof(hdr), i;

	memcpy(buf, hdr, sizeof(hdr));
	for (i = 0; i < 4; i++) {
		uint32_t rh[4] = { 1000 + i, 5, lens[i], lens[i] };

		memcpy(buf + off, rh, sizeof(rh));
		off += sizeof(rh);
		memset(buf + off, 'a' + i, lens[i]);
		off += lens[i];
	}
	return off;
}

/* feed in pieces of step bytes (0: all at once); what reached the file */
static size_t run(const unsigned char *in, size_t n, size_t step,
		  unsigned char *out, long *partial, int *ret,
		  unsigned long long *packets)
{
	struct pcap_stream ps;
	int fd = memfd_create("pcap", MFD_CLOEXEC);
	size_t off = 0, k;
	ssize_t got;

	pcap_stream_init(&ps, fd);
	*ret = 0;
	while (off < n && !*ret) {
		k = step && n - off > step ? step : n - off;
		*ret = pcap_stream_feed(&ps, (const char *)in + off, k);
		off += k;
	}
	*partial = pcap_stream_finish(&ps);
	*packets = ps.packets;
	pcap_stream_free(&ps);
	got = pread(fd, out, 8192, 0);
	close(fd);
	return got < 0 ? 0 : got;
}

int main(void)
{
	static const size_t steps[] = { 0, 1, 7, 16, 24, 100, 1513 };
	unsigned char in[8192], out[8192];
	unsigned long long packets;
	size_t n = build(in), got, i;
	long partial;
	char name[80];
	int ret;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		got = run(in, n, steps[i], out, &partial, &ret, &packets);
		snprintf(name, sizeof(name), "pieces of %zu bytes: same file",
			 steps[i]);
		CHECK(name,
		      !ret && partial == 0 && got == n && packets == 4 &&
			      !memcmp(in, out, n),
		      "ret %d partial %ld got %zu of %zu, %llu packets", ret,
		      partial, got, n, packets);
	}
	/* cut inside the last record: the file ends after the third */
	got = run(in, n - 5, 3, out, &partial, &ret, &packets);
	CHECK("cut in a record: whole records only",
	      !ret && partial == 16 + 98 - 5 && got == n - 16 - 98 &&
		      packets == 3,
	      "ret %d partial %ld got %zu, %llu packets", ret, partial, got,
	      packets);
	/* cut inside a record header */
	got = run(in, n - 16 - 98 + 9, 0, out, &partial, &ret, &packets);
	CHECK("cut in a record header: whole records only",
	      !ret && partial == 9 && got == n - 16 - 98, "partial %ld got %zu",
	      partial, got);
	/* nothing came (tcpdump killed before its first flush) */
	got = run(in, 0, 0, out, &partial, &ret, &packets);
	CHECK("nothing came: a valid empty file",
	      !ret && partial == 0 && got == 24 && !memcmp(in, out, 20),
	      "got %zu", got);
	/* half a file header: the default one, not the half */
	got = run(in, 10, 0, out, &partial, &ret, &packets);
	CHECK("half a header: a whole default one", got == 24, "got %zu", got);
	/* text instead of pcap */
	got = run((const unsigned char *)"tcpdump: vec9: No such device\n", 30,
		  0, out, &partial, &ret, &packets);
	CHECK_INT("not pcap: -EPROTO", ret, -EPROTO);
	/* a record longer than any snaplen */
	memcpy(out, in, 24);
	{
		uint32_t rh[4] = { 1, 2, 0x7fffffff, 0x7fffffff };

		memcpy(out + 24, rh, sizeof(rh));
	}
	memcpy(in, out, 40);
	got = run(in, 40, 0, out, &partial, &ret, &packets);
	CHECK_INT("an absurd record length: -EPROTO", ret, -EPROTO);
	UNIT_DONE();
}
