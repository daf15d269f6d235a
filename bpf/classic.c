// SPDX-License-Identifier: GPL-2.0
/* pcap expressions -> classic BPF files the vector driver loads (bpf.h). */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpf.h"

_Static_assert(sizeof(struct cbpf_insn) == 8, "sock_filter is 8 bytes");
_Static_assert(sizeof(struct bpf_insn) == sizeof(struct cbpf_insn),
	       "pcap's bpf_insn is a sock_filter");

int cbpf_compile(const char *expr, struct cbpf_prog *prog, struct err *e)
{
	struct bpf_program bp = { 0 };
	pcap_t *pc = NULL;
	int ret = -EINVAL;

	prog->insns = NULL;
	prog->len = 0;
	pc = pcap_open_dead(DLT_EN10MB, CBPF_SNAPLEN);
	if (!pc) {
		ret = errf(e, -ENOMEM, "pcap_open_dead failed: out of memory");
		goto cleanup;
	}
	if (pcap_compile(pc, &bp, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		ret = errf(e, -EINVAL, "%s", pcap_geterr(pc));
		goto cleanup;
	}
	if (bp.bf_len == 0 || bp.bf_len > CBPF_MAX_INSNS) {
		ret = errf(
			e, -EINVAL,
			"compiles to %u instructions; the kernel takes at most %d: simplify the expression",
			bp.bf_len, CBPF_MAX_INSNS);
		goto cleanup;
	}
	prog->insns = calloc(bp.bf_len, sizeof(*prog->insns));
	if (!prog->insns) {
		ret = errf(e, -ENOMEM, "out of memory");
		goto cleanup;
	}
	memcpy(prog->insns, bp.bf_insns, bp.bf_len * sizeof(*prog->insns));
	prog->len = bp.bf_len;
	ret = 0;
cleanup:
	pcap_freecode(&bp);
	if (pc)
		pcap_close(pc);
	return ret;
}

int cbpf_compile_node(const char *expr, const char *mac, struct cbpf_prog *prog,
		      struct err *e)
{
	char *full = NULL;
	int ret;

	ret = cbpf_compile(expr, prog, e);
	if (ret)
		return ret;
	cbpf_free(prog);
	if (asprintf(&full, "not ether src %s and (%s)", mac, expr) < 0)
		return errf(e, -ENOMEM, "out of memory");
	ret = cbpf_compile(full, prog, e);
	free(full);
	return ret;
}

int cbpf_write(const char *path, const struct cbpf_prog *prog, struct err *e)
{
	int ret;

	ret = write_file(path, prog->insns, prog->len * sizeof(*prog->insns),
			 0644);
	if (ret)
		errf(e, ret, "%s: cannot write: %s", path, strerror(-ret));
	return ret;
}

int cbpf_read(const char *path, struct cbpf_prog *prog, struct err *e)
{
	struct stat st;
	ssize_t n;
	int fd = -1, ret = -EINVAL;

	prog->insns = NULL;
	prog->len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		ret = errf(e, -errno, "%s: %m", path);
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0 || st.st_size % 8 ||
	    st.st_size / 8 > CBPF_MAX_INSNS) {
		ret = errf(
			e, -EINVAL,
			"%s: not a classic BPF file: %lld bytes; want a multiple of 8, 8..%d (1..%d instructions, as written by umnet bpf compile)",
			path, (long long)st.st_size, 8 * CBPF_MAX_INSNS,
			CBPF_MAX_INSNS);
		goto cleanup;
	}
	prog->insns = malloc(st.st_size);
	if (!prog->insns) {
		ret = errf(e, -ENOMEM, "out of memory");
		goto cleanup;
	}
	n = pread(fd, prog->insns, st.st_size, 0);
	if (n != st.st_size) {
		ret = errf(e, n < 0 ? -errno : -EIO, "%s: short read", path);
		cbpf_free(prog);
		goto cleanup;
	}
	prog->len = st.st_size / 8;
	ret = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	return ret;
}

void cbpf_dump(const struct cbpf_prog *prog, struct strbuf *sb)
{
	unsigned int i;

	for (i = 0; i < prog->len; i++)
		sb_printf(
			sb, "%s\n",
			bpf_image((const struct bpf_insn *)&prog->insns[i], i));
}

void cbpf_dump_raw(const struct cbpf_prog *prog, struct strbuf *sb)
{
	unsigned int i;

	for (i = 0; i < prog->len; i++)
		sb_printf(sb, "{ 0x%x, %u, %u, 0x%08x },\n",
			  prog->insns[i].code, prog->insns[i].jt,
			  prog->insns[i].jf, prog->insns[i].k);
}

unsigned int cbpf_run(const struct cbpf_prog *prog, const uint8_t *frame,
		      unsigned int len)
{
	return bpf_filter((const struct bpf_insn *)prog->insns, frame, len,
			  len);
}

void cbpf_free(struct cbpf_prog *prog)
{
	free(prog->insns);
	prog->insns = NULL;
	prog->len = 0;
}
