/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exec protocol between `umnet exec` (host, src/agent.c) and the in-node
 * agent (rootfs/agent.c) over the node's tty2 (a host pts, both ends in raw
 * mode). Line based, printable only, so stale or partial lines are harmless:
 *
 *   host -> node   "X <nonce> <b64>\n"   run argv; b64 = base64 of the
 *                                         arguments, each followed by '\0'
 *   host -> node   "K <nonce>\n"         kill the running command (SIGKILL)
 *   node -> host   "<nonce> o <b64>\n"   a chunk of the command's stdout
 *   node -> host   "<nonce> e <b64>\n"   a chunk of its stderr
 *   node -> host   "<nonce> x <N>\n"     it ended: exit code, or 128+signal
 *
 * The nonce is 16 lowercase hex digits chosen by the host. Each side ignores
 * lines it does not understand and lines carrying another nonce. The host
 * sends "\n" first so a partial line left by an earlier client is ended. The
 * command runs with stdin from /dev/null, in its own process group, with
 * PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; an argv
 * that cannot be executed gives a message on stderr and exit code 127.
 */
#ifndef UMNET_AGENT_PROTO_H
#define UMNET_AGENT_PROTO_H

#include <stddef.h>
#include <sys/types.h>

#define AGENT_NONCE_LEN 16
#define AGENT_CHUNK 3072 /* raw bytes per o/e frame (4096 in base64) */
#define AGENT_LINE_MAX 65536

/* base64 (RFC 4648, with padding); return the output length */
size_t b64_encoded_len(size_t n);
size_t b64_encode(const void *in, size_t n, char *out); /* NUL-terminates */
/* returns decoded length or -1 on malformed input; out >= 3*n/4+3 bytes */
ssize_t b64_decode(const char *in, size_t n, void *out);

/* 16 lowercase hex digits */
int agent_nonce_valid(const char *s, size_t n);

/*
 * Node side (the host side's agent_reply_decode is in agent.h): 'X' for "X <nonce> <b64>", 'K' for "K <nonce>", 0 for any other
 * line (len bytes without its '\n'). For an X line, agent_request_argv
 * decodes the b64 (NUL-terminated) into *args and a NULL-terminated *argv
 * pointing into it (both malloc'd); returns argc, -EBADMSG when malformed,
 * -EINVAL for an empty command name, -ENOMEM.
 */
int agent_request_kind(const char *line, size_t len);
int agent_request_argv(const char *b64, char **args, char ***argv);

#endif
