// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the switch (src/switch.c): frames from 2-8 ports
 * into the learning and forwarding path. Ports are socketpairs handed to
 * a switch without listening sockets (switch_new, switch_add_port), so
 * the real receive, learn, flood, forward and send code runs and nothing
 * touches the filesystem. Odd ports take virtio-net headers, so frames
 * also cross the header checks, checksums and segmentation. Input: a first byte (port count), then
 * operations:
 *   0xff          a round of switch_run_once, then every peer drained
 *   0xfe P        port P's peer hangs up
 *   0xfd P        port P sends an oversized frame
 *   P L0 L1 DATA  port P sends the frame DATA of length L0 | L1 << 8
 * After the input a last round; the status must agree with what is left.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "switch.h"

#define MAXP 8

/* the messages are formatted, then dropped */
static void quiet(void *arg, enum switch_log_level level, const char *msg)
{
	(void)arg;
	(void)level;
	(void)msg;
}

static void drain(const int *peer, int n)
{
	static char buf[SWITCH_FRAME_MAX + 1];
	int i;

	for (i = 0; i < n; i++)
		while (peer[i] >= 0 &&
		       recv(peer[i], buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
}

static void round_(struct sw *sw, const int *peer, int n)
{
	struct err e = { "" };
	int ret = switch_run_once(sw, 0, NULL, &e);

	/* -EINTR: libFuzzer's timer signal; the switch's loop goes on */
	if (ret && ret != -EINTR && e.msg[0] == '\0')
		abort();
	drain(peer, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct switch_status st;
	struct switch_config cfg = { .aging_ms = 300 * 1000, .log = quiet };
	const uint8_t *end = data + size;
	int peer[MAXP], n, i, live, sent = 0, sv[2];
	struct sw *sw = NULL;
	static char big[SWITCH_FRAME_MAX + 100];
	size_t len;

	if (size < 1)
		return 0;
	n = 2 + data[0] % (MAXP - 1);
	data++;
	if (switch_new(&sw, &cfg))
		return 0;
	for (i = 0; i < n; i++) {
		peer[i] = -1;
		if (socketpair(AF_UNIX,
			       SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
			       sv))
			abort();
		if (switch_add_port_hdr(sw, sv[0], i & 1))
			abort();
		peer[i] = sv[1];
	}
	while (data < end) {
		uint8_t op = *data++;

		if (op == 0xff) {
			round_(sw, peer, n);
			sent = 0;
			continue;
		}
		if ((op == 0xfe || op == 0xfd) && data < end) {
			i = *data++ % n;
			if (peer[i] < 0)
				continue;
			if (op == 0xfe) {
				close(peer[i]);
				peer[i] = -1;
			} else {
				memset(big, 0x5a, sizeof(big));
				send(peer[i], big, sizeof(big), MSG_DONTWAIT);
				sent++;
			}
			continue;
		}
		if (end - data < 2)
			break;
		i = op % n;
		len = data[0] | (size_t)data[1] << 8;
		data += 2;
		if (len > (size_t)(end - data))
			len = end - data;
		if (peer[i] >= 0)
			send(peer[i], data, len, MSG_DONTWAIT);
		data += len;
		/* at most one batch per port and round: flush in time */
		if (++sent == SWITCH_BATCH) {
			round_(sw, peer, n);
			sent = 0;
		}
	}
	round_(sw, peer, n);
	round_(sw, peer, n);
	switch_get_status(sw, &st);
	for (i = live = 0; i < n; i++)
		live += peer[i] >= 0;
	if (st.hdr.nports != (uint32_t)live || st.hdr.fdb > SWITCH_FDB_MAX)
		abort();
	for (i = 0; i < (int)st.hdr.nports; i++)
		if (st.ports[i].macs > st.hdr.fdb)
			abort();
	switch_close(sw);
	for (i = 0; i < n; i++)
		if (peer[i] >= 0)
			close(peer[i]);
	return 0;
}
