// SPDX-License-Identifier: GPL-2.0
/*
 * umnet record [--netns NS] -i IFACE -w FILE [--size SIZE] [--files N]
 *
 * Record a host interface into a pcap file, or a ring of files with a size
 * cap (record.h, pcapring.h), until SIGINT or SIGTERM or the interface
 * goes away. A lab runs it for a `capture = yes` link to a host namespace;
 * it works alone too.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "record.h"

#define RECORD_SIZE_MAX (1ULL << 40)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet record [--netns NS] [--follow] -i IFACE -w FILE [--size SIZE] [--files N]\n"
		"\n"
		"  -i, --interface IFACE  the host interface (both directions)\n"
		"  -n, --netns NS         the network namespace IFACE is in\n"
		"  -w, --write FILE       the pcap file (tcpdump, Wireshark read it)\n"
		"  -C, --size SIZE        start a new file when FILE would pass SIZE\n"
		"                         (bytes, or with K, M, G); FILE becomes\n"
		"                         FILE.1, FILE.1 FILE.2, ...\n"
		"  -W, --files N          files kept with --size, FILE included\n"
		"                         (default 4, at most %d)\n"
		"  --follow               wait for IFACE (and its namespace) to\n"
		"                         appear, and again each time it goes away\n"
		"\n"
		"Runs until SIGINT or SIGTERM, or until IFACE goes away (unless\n"
		"--follow). Needs CAP_NET_RAW.\n",
		PCAP_RING_FILES_MAX);
}

int record_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "netns", required_argument, NULL, 'n' },
		{ "write", required_argument, NULL, 'w' },
		{ "size", required_argument, NULL, 'C' },
		{ "files", required_argument, NULL, 'W' },
		{ "follow", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *ifname = NULL, *netns = NULL, *file = NULL;
	struct ring_opt ring = { .size_opt = "--size",
				 .files_opt = "--files",
				 .max = RECORD_SIZE_MAX,
				 .max_text = "1024G" };
	struct pcap_ring r = { .fd = -1 };
	struct err e = { "" };
	bool follow = false;
	int c, fd = -1, ret, rc = 1;

	while ((c = getopt_long(argc, argv, "+i:n:w:C:W:h", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'n':
			netns = optarg;
			break;
		case 'w':
			file = optarg;
			break;
		case 'C': /* --size */
		case 'W': /* --files */
			if (opt_ring(&ring, c == 'W', optarg))
				return 2;
			break;
		case 'F':
			follow = true;
			break;
		case 'h':
		default:
			return usage_exit(usage, c);
		}
	}
	if (optind != argc || !ifname || !file)
		return usage_exit(usage, '?');
	if (ring.files && !ring.size) {
		say_err("record: --files needs --size (a ring of files needs a size cap)");
		return 2;
	}
	if (ring.size && !ring.files)
		ring.files = 4;
	/* --follow too: a missing privilege is told before FILE is made */
	fd = record_open(netns, ifname, &e);
	if (fd < 0 && !(follow && (fd == -ENODEV || fd == -ENOENT))) {
		say_fail(fd, &e);
		return 1;
	}
	if (follow && fd >= 0) {
		close(fd); /* record_follow opens its own */
		fd = -1;
	}
	ret = pcap_ring_open(&r, file, RECORD_SNAPLEN, ring.size,
			     ring.size ? (unsigned int)ring.files : 1, &e);
	if (ret) {
		say_fail(ret, &e);
		goto cleanup;
	}
	cli_on_stop(on_signal);
	ret = follow ? record_follow(netns, ifname, &r, &stop, &e)
		     : record_loop(fd, &r, &stop, &e);
	if (ret) {
		say_fail(ret, &e);
		goto cleanup;
	}
	fprintf(stderr, "%llu frames recorded, %llu bytes\n",
		(unsigned long long)r.frames, (unsigned long long)r.bytes);
	rc = 0;
cleanup:
	pcap_ring_close(&r);
	if (fd >= 0)
		close(fd);
	return rc;
}
