/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netstack internals shared by nl.c, netns.c, link.c and addr.c. Not part of
 * the public API: include netstack.h instead.
 */
#ifndef UMNET_NL_PRIV_H
#define UMNET_NL_PRIV_H

#include <libmnl/libmnl.h>

#include "netstack.h"

/* the calling thread's own network namespace */
#define NS_SELF "/proc/thread-self/ns/net"

/* requests are small: a few attributes and at most two names */
#define NL_MSG_SIZE 1024
/* replies: one RTM_NEWLINK can be several KB */
#define NL_RCV_SIZE 32768

/* an aligned buffer for building one request */
#define NL_MSG_BUF(name) char name[NL_MSG_SIZE] __attribute__((aligned(8)))

struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	int nsfd; /* the netns the socket lives in */
	char *netns; /* its name, NULL for "the opener's" */
	char errmsg[256]; /* extack text of the last failed request */
	char buf[NL_RCV_SIZE] __attribute__((aligned(8)));
};

/*
 * Send nlh (NLM_F_REQUEST | NLM_F_ACK are added, the sequence number is set)
 * and read replies until the ACK, an error or NLMSG_DONE. cb (may be NULL)
 * sees every reply message of a type >= NLMSG_MIN_TYPE; when it returns
 * MNL_CB_ERROR with errno set, the rest of the reply is still consumed and
 * -errno is returned. Returns 0 or -errno; a kernel error's extack text is
 * kept in nl->errmsg.
 */
int nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
/* open and bind nl->sock for netlink protocol proto (extended ACKs on) */
int nl_sock_init(struct nl *nl, int proto);
/*
 * nl_open with another socket: sock_open(nl) opens and binds nl->sock, in
 * the namespace netns (NULL: the caller's)
 */
int nl_open_with(struct nl **out, const char *netns,
		 int (*sock_open)(void *nl));

/*
 * Run fn(arg) with the calling thread in the network namespace nsfd, then
 * switch back. Returns fn's value or -errno if switching failed.
 */
int ns_run_fd(int nsfd, int (*fn)(void *), void *arg);

#endif
