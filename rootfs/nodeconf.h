/* SPDX-License-Identifier: GPL-2.0 */
/*
 * node.conf: what a node must do at boot, written by the host (src/drive.c)
 * onto the node's read-only config drive and read by the node's init.
 *
 * The config drive is /dev/ubdb (ext2, read-only), mounted at /etc/umnet.
 * It holds node.conf and the files it names (nft rulesets, bird.conf, ...).
 *
 * node.conf is line based. Each line is a keyword and its arguments separated
 * by spaces or tabs; blank lines and lines whose first word starts with '#'
 * are ignored. Lines are applied in order; the first failing line stops the
 * boot sequence and is reported (see below). Keywords (the table in
 * rootfs/nodeconf.c):
 *
 *   hostname NAME              sethostname(NAME)
 *   file NAME DEST             copy /etc/umnet/NAME to DEST (mode kept,
 *                              parent directories made; a directory NAME
 *                              is copied over DEST with cp -a)
 *   sysctl KEY VALUE           write VALUE to /proc/sys/KEY ('.' -> '/'
 *                              unless KEY has a '/')
 *   link IFNAME [name NEW] [address MAC] [mtu N]
 *                              rename, set the MAC and MTU of IFNAME and set
 *                              it up, in one rtnetlink message
 *   addr IFNAME PREFIX         like ip addr add PREFIX dev IFNAME, over
 *                              rtnetlink
 *   route ARGS...              ip route add ARGS...    (ip -6 if ARGS has ':')
 *   nft FILE                   nft -f /etc/umnet/FILE
 *   run CMD...                 /bin/sh -c 'CMD...', must exit 0
 *   daemon CMD...              /bin/sh -c 'exec CMD...' in the background
 *
 * Readiness: after the last line, init writes "ready" to /proc/mconsole (the
 * host receives it as an MCONSOLE_USER_NOTIFY datagram). On failure it writes
 * "failed node.conf:LINE: MESSAGE" instead and prints the same on the console.
 */
#ifndef UMNET_NODECONF_H
#define UMNET_NODECONF_H

#define NODECONF_MOUNT "/etc/umnet"
#define NODECONF_FILE "node.conf"
#define NODECONF_DEV "/dev/ubdb"

/* consoles inside the node: tty1 = interactive shell, tty2 = exec agent */
#define NODE_SHELL_TTY "/dev/tty1"
#define NODE_AGENT_TTY "/dev/tty2"

#endif
