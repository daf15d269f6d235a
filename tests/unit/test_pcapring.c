// SPDX-License-Identifier: GPL-2.0
/*
 * src/pcapring.c: one pcap file, or a ring of them with a size cap. Each
 * file must read back with libpcap, hold whole records, stay under its cap,
 * and the ring must keep the newest frames and no more files than asked.
 */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pcapring.h"
#include "unit.h"

static char dir[] = "/tmp/umnet-test-pcapring.XXXXXX";

/* frames in the pcap file at path read with libpcap, -1: unreadable; the
 * first frame's sequence number (its first 4 bytes) in *first */
static long count_frames(const char *path, uint32_t *first, int *linktype)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	long n = 0;
	pcap_t *p = pcap_open_offline(path, errbuf);

	if (!p)
		return -1;
	*linktype = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &data) == 1) {
		if (!n)
			memcpy(first, data, sizeof(*first));
		n++;
	}
	pcap_close(p);
	return n;
}

static void fill(unsigned char *f, size_t len, uint32_t seq)
{
	memset(f, 0xab, len);
	memcpy(f, &seq, sizeof(seq));
}

static void test_one_file(void)
{
	struct pcap_ring r;
	struct err e = { "" };
	struct timeval tv = { 1, 2 };
	unsigned char f[1514];
	char path[256];
	uint32_t first = 0, i;
	int lt = 0, ret, bad = 0;
	long n;

	snprintf(path, sizeof(path), "%s/one.pcap", dir);
	ret = pcap_ring_open(&r, path, 65535, 0, 1, &e);
	CHECK("one file: opens", !ret, "%d %s", ret, e.msg);
	for (i = 0; i < 100; i++) {
		fill(f, sizeof(f), i);
		bad |= pcap_ring_write(&r, &tv, f, sizeof(f));
	}
	pcap_ring_close(&r);
	n = count_frames(path, &first, &lt);
	CHECK("one file: 100 frames read back by libpcap",
	      !bad && n == 100 && first == 0 && lt == DLT_EN10MB,
	      "bad %d n %ld first %u linktype %d", bad, n, first, lt);
	CHECK("one file: a write after close is refused",
	      pcap_ring_write(&r, &tv, f, 60) == -EBADF, "%s", "no");
}

static void test_ring(void)
{
	struct pcap_ring r;
	struct err e = { "" };
	struct timeval tv = { 1, 2 };
	unsigned char f[1514];
	char path[256], name[300];
	uint32_t first = 0, i, want_next;
	int lt = 0, ret, bad = 0, k;
	long n, total = 0;
	struct stat st;
	bool sizes_ok = true, order_ok = true;

	snprintf(path, sizeof(path), "%s/ring.pcap", dir);
	/* a stale file of an earlier, longer ring must go */
	snprintf(name, sizeof(name), "%s.7", path);
	fclose(fopen(name, "w"));
	ret = pcap_ring_open(&r, path, 65535, PCAP_RING_SIZE_MIN, 3, &e);
	CHECK("ring: opens", !ret, "%d %s", ret, e.msg);
	CHECK("ring: an earlier ring's files are removed",
	      access(name, F_OK) && errno == ENOENT, "%s still there", name);
	for (i = 0; i < 1000; i++) {
		fill(f, sizeof(f), i);
		bad |= pcap_ring_write(&r, &tv, f, sizeof(f));
	}
	pcap_ring_close(&r);
	CHECK("ring: every write succeeds", !bad, "%d", bad);
	/* oldest (path.2) to newest (path): consecutive sequence numbers */
	want_next = 0;
	for (k = 2; k >= 0; k--) {
		pcap_ring_file(path, k, name, sizeof(name));
		n = count_frames(name, &first, &lt);
		if (n <= 0 || stat(name, &st) ||
		    (uint64_t)st.st_size > PCAP_RING_SIZE_MIN)
			sizes_ok = false;
		if (k < 2 && first != want_next)
			order_ok = false;
		want_next = first + n;
		total += n;
	}
	CHECK("ring: 3 files, each read by libpcap, each under the cap",
	      sizes_ok, "a file is missing, unreadable or over the cap");
	CHECK("ring: the files follow each other", order_ok, "%s", "no");
	CHECK("ring: the newest frame is in the file in use", want_next == 1000,
	      "last file ends at %u", want_next);
	pcap_ring_file(path, 3, name, sizeof(name));
	CHECK("ring: no 4th file", access(name, F_OK) && errno == ENOENT,
	      "%s exists", name);
	CHECK("ring: counters", r.frames == 1000 && r.rotations > 2,
	      "frames %llu rotations %llu", (unsigned long long)r.frames,
	      (unsigned long long)r.rotations);
	(void)total;
}

/* a writer restarted on the same ring keeps what the last one wrote */
static void test_reopen(void)
{
	struct pcap_ring r;
	struct err e = { "" };
	char path[256], name[300];
	uint32_t first = 0, first1 = 0;
	int lt = 0, ret;
	long before, after1, after0;

	snprintf(path, sizeof(path), "%s/ring.pcap", dir);
	before = count_frames(path, &first, &lt);
	ret = pcap_ring_open(&r, path, 65535, PCAP_RING_SIZE_MIN, 3, &e);
	pcap_ring_close(&r);
	pcap_ring_file(path, 1, name, sizeof(name));
	after1 = count_frames(name, &first1, &lt);
	after0 = count_frames(path, &first, &lt);
	CHECK("reopen: the file in use moves to .1, a new one starts",
	      !ret && before > 0 && after1 == before && after0 == 0,
	      "ret %d before %ld .1 %ld new %ld (%s)", ret, before, after1,
	      after0, e.msg);
	ret = pcap_ring_open(&r, path, 65535, 0, 1, &e);
	pcap_ring_close(&r);
	CHECK("reopen as one file: .1 and the others go",
	      !ret && access(name, F_OK) && errno == ENOENT, "%s", e.msg);
}

static void test_snaplen(void)
{
	struct pcap_ring r;
	struct err e = { "" };
	struct timeval tv = { 1, 2 };
	unsigned char f[1514];
	char path[256], errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int ok = 0;

	snprintf(path, sizeof(path), "%s/snap.pcap", dir);
	fill(f, sizeof(f), 7);
	if (!pcap_ring_open(&r, path, 128, 0, 1, &e)) {
		pcap_ring_write(&r, &tv, f, sizeof(f));
		pcap_ring_close(&r);
	}
	p = pcap_open_offline(path, errbuf);
	if (p && pcap_next_ex(p, &h, &data) == 1)
		ok = h->caplen == 128 && h->len == sizeof(f);
	if (p)
		pcap_close(p);
	CHECK("snaplen: keeps 128 bytes of a 1514-byte frame, says 1514", ok,
	      "%s", "no");
}

/*
 * pcap_ring_fdopen: the writer of `lab capture -w` on a pipe (stdout): the
 * header at once, frames already cut short keep what they say, the fd
 * stays the caller's, a reader gone is -EPIPE.
 */
static void test_fd(void)
{
	struct pcap_ring r;
	struct err e = { "" };
	struct timeval tv = { 5, 6 };
	unsigned char f[1514];
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned int ok = 0;
	int fds[2], ret, put;
	pcap_t *p;
	FILE *in;

	fill(f, sizeof(f), 9);
	if (pipe(fds)) {
		CHECK("fd: pipe", 0, "%m");
		return;
	}
	ret = pcap_ring_fdopen(&r, fds[1], "stdout", 65535, &e);
	/* 100 bytes came of a 1514-byte frame; 1514 of 1514; 60 of 60 */
	put = ret || pcap_ring_put(&r, &tv, f, 100, sizeof(f)) ||
	      pcap_ring_put(&r, &tv, f, sizeof(f), sizeof(f)) ||
	      pcap_ring_write(&r, &tv, f, 60);
	pcap_ring_close(&r);
	CHECK("fd: opens on a pipe, three frames written",
	      !ret && !put && r.frames == 3, "%d %s put %d frames %llu", ret,
	      e.msg, put, (unsigned long long)r.frames);
	CHECK("fd: pcap_ring_close leaves the caller's fd open",
	      fcntl(fds[1], F_GETFD) >= 0, "%m");
	close(fds[1]);
	in = fdopen(fds[0], "r");
	p = in ? pcap_fopen_offline(in, errbuf) : NULL;
	while (p && pcap_next_ex(p, &h, &data) == 1) {
		uint32_t seq;

		memcpy(&seq, data, sizeof(seq));
		ok += seq == 9 && h->ts.tv_sec == 5 && h->ts.tv_usec == 6 &&
		      ((ok == 0 && h->caplen == 100 && h->len == 1514) ||
		       (ok == 1 && h->caplen == 1514 && h->len == 1514) ||
		       (ok == 2 && h->caplen == 60 && h->len == 60));
	}
	if (p)
		pcap_close(p); /* closes in */
	else if (in)
		fclose(in);
	CHECK("fd: libpcap reads back the three, caplen and len as given",
	      ok == 3, "%u good", ok);

	if (pipe(fds)) {
		CHECK("fd: pipe", 0, "%m");
		return;
	}
	signal(SIGPIPE, SIG_IGN);
	ret = pcap_ring_fdopen(&r, fds[1], "stdout", 65535, &e);
	close(fds[0]);
	put = pcap_ring_write(&r, &tv, f, 60);
	CHECK("fd: the reader gone: -EPIPE, then closed (-EBADF)",
	      !ret && put == -EPIPE &&
		      pcap_ring_write(&r, &tv, f, 60) == -EBADF,
	      "%d %d", ret, put);
	close(fds[1]);
}

static void test_errors(void)
{
	struct pcap_ring r;
	struct err e = { "" };
	int ret;

	ret = pcap_ring_open(&r, "/tmp/x.pcap", 65535, 0, 2, &e);
	CHECK("error: several files need a size cap",
	      ret == -EINVAL && strstr(e.msg, "size cap"), "%d %s", ret, e.msg);
	ret = pcap_ring_open(&r, "/tmp/x.pcap", 65535, 1000, 2, &e);
	CHECK("error: a cap below the minimum",
	      ret == -EINVAL && strstr(e.msg, "at least"), "%d %s", ret, e.msg);
	ret = pcap_ring_open(&r, "/tmp/x.pcap", 65535, PCAP_RING_SIZE_MIN,
			     PCAP_RING_FILES_MAX + 1, &e);
	CHECK("error: too many files", ret == -EINVAL, "%d %s", ret, e.msg);
	ret = pcap_ring_open(&r, "/nonexistent-dir/x.pcap", 65535, 0, 1, &e);
	CHECK("error: names the file and the cause",
	      ret == -ENOENT && strstr(e.msg, "/nonexistent-dir/x.pcap") &&
		      strstr(e.msg, "No such file"),
	      "%d %s", ret, e.msg);
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_one_file();
	test_ring();
	test_reopen();
	test_snaplen();
	test_fd();
	test_errors();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
	UNIT_DONE();
}
