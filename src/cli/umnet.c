// SPDX-License-Identifier: GPL-2.0
/* umnet: the dispatch table. Each subcommand lives in its own cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_kube.h"
#include "util.h"

static const struct cli_cmd cmds[] = {
	{ "up", up_main, "boot an appliance from a profile" },
	{ "down", down_main, "stop a node and remove everything it created" },
	{ "status", status_main, "show running nodes" },
	{ "console", console_main, "attach to a node's console" },
	{ "exec", exec_main, "run a command inside a node" },
	{ "capture", capture_main,
	  "capture a node interface's packets (pcap)" },
	{ "mconsole", mconsole_main, "send a UML management console command" },
	{ "cmdline", cmdline_main, "print the UML command line of a profile" },
	{ "bpf", bpf_main, "compile or dump a pcap filter for bpffile =" },
	{ "hostsetup", hostsetup_main,
	  "print the host-side setup of a profile as ip(8) commands" },
	{ "switch", switch_main, "run a learning switch for bess transports" },
	{ "record", record_main,
	  "record a host interface into a pcap file or ring" },
	{ "lab", lab_main, "bring up, test and take down a lab of many nodes" },
	{ "node", node_main, "run one node in the foreground (a container)" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: umnet <command> [arguments]\n\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].desc);
	fprintf(f, "\n'umnet <command> --help' shows a command's usage.\n");
}

int main(int argc, char *argv[])
{
	if (argc >= 2 && !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 &&
	    (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))) {
		printf("umnet %s\n", UMNET_VERSION);
		return 0;
	}
	return cli_dispatch(cmds, ARRAY_SIZE(cmds), "umnet", usage, argc, argv);
}
