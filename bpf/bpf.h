/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcap-compiled classic BPF for the vector driver's bpffile= option.
 *
 * The kernel (arch/um/drivers/vector_user.c: uml_vector_user_bpf) reads the
 * whole file as an array of struct sock_filter (8 bytes each, host byte
 * order, no header) and sets len = file size / 8; the host kernel then
 * accepts 1..BPF_MAXINSNS (4096) instructions in SO_ATTACH_FILTER. That is
 * exactly pcap_compile()'s bf_insns, written out as is.
 */
#ifndef UMNET_BPF_H
#define UMNET_BPF_H

#include <stdint.h>

#include "util.h"

/* the host kernel's limit (include/uapi/linux/bpf_common.h BPF_MAXINSNS) */
#define CBPF_MAX_INSNS 4096
/*
 * Bytes a matching frame keeps: the kernel's own default filter returns
 * 0x40000, and frames with gro=1 can exceed 65535 bytes, so 65535 would cut
 * them.
 */
#define CBPF_SNAPLEN 0x40000

/* same layout as struct sock_filter and pcap's struct bpf_insn */
struct cbpf_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

struct cbpf_prog {
	struct cbpf_insn *insns;
	unsigned int len;
};

/* compile a pcap expression for Ethernet (optimised); e gets pcap's text */
int cbpf_compile(const char *expr, struct cbpf_prog *prog, struct err *e);
/*
 * the filter a vector interface needs: "not ether src MAC and (EXPR)", so
 * the node does not see its own frames again (what the kernel's default
 * filter does, which a bpffile replaces). EXPR is first compiled alone, so
 * a stray ')' cannot escape the parentheses.
 */
int cbpf_compile_node(const char *expr, const char *mac, struct cbpf_prog *prog,
		      struct err *e);
int cbpf_write(const char *path, const struct cbpf_prog *prog, struct err *e);
int cbpf_read(const char *path, struct cbpf_prog *prog, struct err *e);
/* tcpdump -d style listing ("(000) ldh [12]"), one instruction a line */
void cbpf_dump(const struct cbpf_prog *prog, struct strbuf *sb);
/* tcpdump -dd style C initialisers: { 0x28, 0, 0, 0x0000000c }, */
void cbpf_dump_raw(const struct cbpf_prog *prog, struct strbuf *sb);
/* run the program on a frame like the kernel would: bytes kept, 0 = drop */
unsigned int cbpf_run(const struct cbpf_prog *prog, const uint8_t *frame,
		      unsigned int len);
void cbpf_free(struct cbpf_prog *prog);

#endif
