// SPDX-License-Identifier: GPL-2.0
/*
 * A lab's NAT on the host (bridged = yes, port =; docs/lab.md): one
 * nf_tables table umnet-LAB (netstack/nft.c) that masquerades the lab's
 * bridged-subnet out and forwards the host ports to the nodes, and
 * net.ipv4.ip_forward on. Both are written to the lab's journal before
 * they are made, and undone from it (plan_undo) at `lab down`:
 *   ipfwd - OLD     the value before the first lab in this namespace set
 *                   it; restored when no umnet- table is left
 *   nft - TABLE     the table, deleted with everything in it
 * The first lab's OLD travels in every later lab's table (userdata
 * "ip_forward=OLD"), so whichever lab goes down last restores it.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostplan.h"
#include "lab_priv.h"
#include "labnat.h"
#include "nft.h"
#include "node.h"
#include "plan_int.h"

#define IP_FORWARD "/proc/sys/net/ipv4/ip_forward"
#define NAT_TABLE_PREFIX "umnet-"

static int read_forward(void)
{
	char buf[8] = "";
	int fd = open(IP_FORWARD, O_RDONLY | O_CLOEXEC), n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	return buf[0] == '1';
}

static int write_forward(int v)
{
	int fd = open(IP_FORWARD, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, v ? "1\n" : "0\n", 2) != 2)
		ret = -errno;
	close(fd);
	return ret;
}

bool lab_nat_needed(const struct lab *lab)
{
	int i;

	for (i = 0; i < lab->nnodes; i++)
		if (lab_node_here(lab, i) && lab_node_bridged(lab, i))
			return true;
	return false;
}

int lab_nat_check(const struct lab *lab, struct err *e)
{
	int i;

	if (!lab_nat_needed(lab) || have_cap(CAP_NET_ADMIN))
		return 0;
	for (i = 0; !lab_node_here(lab, i) || !lab_node_bridged(lab, i); i++)
		;
	return errf_at(
		e, -EPERM, lab->path,
		lab_kv_line(lab->nodes[i].kvs, lab->nodes[i].nkvs, "bridged",
			    lab->nodes[i].line),
		"node %s: bridged = yes makes a veth, NAT rules (nf_tables) and turns on ip_forward on the host: that needs CAP_NET_ADMIN; run 'umnet lab up' as root, or remove bridged = and port = from the lab",
		lab->nodes[i].name);
}

/* the kernel has no nf_tables (or no NAT in it): say which options */
static void nft_fail(const struct lab *lab, int ret, struct nl *nl,
		     struct err *e)
{
	if (ret == -EINVAL || ret == -EOPNOTSUPP || ret == -EPROTONOSUPPORT ||
	    ret == -EAFNOSUPPORT)
		errf(e, ret,
		     "lab %s: nf_tables: %s: this kernel has no nf_tables or no NAT in it (CONFIG_NF_TABLES, CONFIG_NFT_NAT, CONFIG_NFT_MASQ, CONFIG_NFT_FIB_IPV4; 'modprobe nf_tables'), which bridged = and port = need",
		     lab->name, strerror(-ret));
	else
		errf(e, ret, "lab %s: nf_tables: %s%s%s", lab->name,
		     strerror(-ret), nl_errmsg(nl)[0] ? ": " : "",
		     nl_errmsg(nl));
}

/*
 * the other umnet labs' tables: how many, their names, and the first
 * one's ip_forward
 */
struct others {
	const char *mine;
	const struct ip_prefix *subnet; /* ours */
	int n, old;
	char clash[NFT_NAME_MAX]; /* a table whose subnet overlaps ours */
	char (*names)[NFT_NAME_MAX]; /* n of them */
	int cap;
};

/* "subnet=A.B.C.D/N" in ud overlaps p */
static bool overlaps(const char *ud, const struct ip_prefix *p)
{
	const char *v = strstr(ud, "subnet=");
	struct ip_prefix q;
	char buf[64];
	uint32_t mask;
	int len;

	if (!v || sscanf(v + 7, "%63s", buf) != 1 ||
	    ip_prefix_parse(buf, true, &q) || q.family != AF_INET)
		return false;
	len = q.len < p->len ? q.len : p->len;
	mask = len ? htonl(~0u << (32 - len)) : 0;
	return !((q.addr.v4.s_addr ^ p->addr.v4.s_addr) & mask);
}

static int other_table(const char *name, const char *ud, void *arg)
{
	struct others *o = arg;
	const char *v;

	if (strncmp(name, NAT_TABLE_PREFIX, strlen(NAT_TABLE_PREFIX)) ||
	    !strcmp(name, o->mine))
		return 0;
	v = strstr(ud, "ip_forward=");
	if (v && o->old < 0)
		o->old = v[11] == '1';
	if (!o->clash[0] && overlaps(ud, o->subnet))
		snprintf(o->clash, sizeof(o->clash), "%s", name);
	if (o->n == o->cap) {
		int cap = o->cap ? 2 * o->cap : 8;
		char(*names)[NFT_NAME_MAX] =
			realloc(o->names, cap * sizeof(*names));

		if (!names)
			return -ENOMEM;
		o->names = names;
		o->cap = cap;
	}
	snprintf(o->names[o->n++], NFT_NAME_MAX, "%s", name);
	return 0;
}

/* a host port of ours that another lab's table forwards already */
struct port_clash {
	const struct lab *lab;
	int node, kv; /* ours: lab->nodes[node].kvs[kv] */
	uint8_t proto;
	uint16_t port;
};

static int port_taken(uint8_t proto, uint16_t port, void *arg)
{
	struct port_clash *pc = arg;
	const struct lab *lab = pc->lab;
	int i, j;

	for (i = 0; i < lab->nnodes; i++) {
		const struct lab_node *node = &lab->nodes[i];

		if (!lab_node_here(lab, i) || !lab_node_bridged(lab, i))
			continue;
		for (j = 0; j < node->nkvs; j++) {
			struct lab_port p;

			if (!strcmp(node->kvs[j].key, "port") &&
			    !lab_port_parse(node->kvs[j].value, &p) &&
			    p.proto == proto && p.host == port) {
				*pc = (struct port_clash){ lab, i, j, proto,
							   port };
				return 1;
			}
		}
	}
	return 0;
}

/* refuse a host port another lab forwards: its table would win */
static int ports_check(const struct lab *lab, struct nl *nl,
		       const struct others *o, struct err *e)
{
	struct port_clash pc = { .lab = lab };
	const struct lab_kv *kv;
	int k, ret;

	for (k = 0; k < o->n; k++) {
		ret = nft_dnat_ports(nl, o->names[k], port_taken, &pc);
		if (ret < 0) {
			nft_fail(lab, ret, nl, e);
			return ret;
		}
		if (!ret)
			continue;
		kv = &lab->nodes[pc.node].kvs[pc.kv];
		return errf_at(
			e, -EADDRINUSE, lab->path, kv->line,
			"node %s: port = %s: host port %u/%s is forwarded already by nf_tables table %s (another lab): choose another host port",
			lab->nodes[pc.node].name, kv->value, pc.port,
			nft_proto_name(pc.proto), o->names[k]);
	}
	return 0;
}

static int nat_table_dnats(const struct lab *lab, struct nft_dnat **out, int *n)
{
	struct nft_dnat *d = NULL;
	int i, j, cap = 0;

	*n = 0;
	for (i = 0; i < lab->nnodes; i++) {
		const struct lab_node *node = &lab->nodes[i];
		struct ip_prefix host, guest;

		if (!lab_node_here(lab, i) ||
		    lab_bridged_addrs(lab, i, &host, &guest))
			continue;
		for (j = 0; j < node->nkvs; j++) {
			struct lab_port p;

			if (strcmp(node->kvs[j].key, "port") ||
			    lab_port_parse(node->kvs[j].value, &p))
				continue;
			if (*n == cap) {
				struct nft_dnat *d2;

				cap = cap ? 2 * cap : 8;
				d2 = realloc(d, cap * sizeof(*d));
				if (!d2) {
					free(d);
					return -ENOMEM;
				}
				d = d2;
			}
			d[*n] = (struct nft_dnat){ .proto = p.proto,
						   .port = p.host,
						   .to = guest.addr.v4,
						   .to_port = p.guest };
			(*n)++;
		}
	}
	*out = d;
	return 0;
}

/* the NAT lock of a namespace: its name, or "host" ("-") */
static const char *nat_lock_name(const char *ns)
{
	return strcmp(ns, "-") ? ns : "host";
}

int lab_nat_up(const struct lab *lab, const char *journal, struct err *e)
{
	char table[NFT_NAME_MAX], ud[64], net[64], ns[NETNS_NAME_MAX];
	struct others o = { .old = -1 };
	struct nft_nat_spec s = { 0 };
	struct nft_dnat *dnats = NULL;
	struct nl *nl = NULL;
	int ret, cur, lockfd = -1;
	off_t at;

	if (!lab_nat_needed(lab))
		return 0;
	lab_nat_table(lab, table, sizeof(table));
	o.mine = table;
	o.subnet = &lab->bridged_subnet;
	/* named: `lab down` run from elsewhere undoes the NAT here */
	if (netns_current(ns, sizeof(ns)))
		strcpy(ns, "-");
	/* one lab at a time lists the tables, reads and sets ip_forward */
	lockfd = name_lock("nat", nat_lock_name(ns), "setting up a lab's NAT",
			   LAB_LOCK_WAIT_S, e);
	if (lockfd < 0) {
		ret = lockfd;
		goto cleanup;
	}
	ret = nft_open(&nl, NULL);
	if (!ret)
		ret = nft_tables(nl, other_table, &o);
	if (ret) {
		nft_fail(lab, ret, nl, e);
		goto cleanup;
	}
	if (o.clash[0]) {
		ret = errf_at(
			e, -EADDRINUSE, lab->path, lab->bridged_subnet_line,
			"lab %s: bridged-subnet %s overlaps the one of nf_tables table %s (another lab): set another with bridged-subnet = in [lab]",
			lab->name,
			ip_prefix_str(&lab->bridged_subnet, net, sizeof(net)),
			o.clash);
		goto cleanup;
	}
	ret = ports_check(lab, nl, &o, e);
	if (ret)
		goto cleanup;
	cur = read_forward();
	if (cur < 0) {
		ret = errf(e, cur, "lab %s: %s: %s", lab->name, IP_FORWARD,
			   strerror(-cur));
		goto cleanup;
	}
	/* the value before any umnet lab: theirs if they are up, else now */
	if (o.old < 0)
		o.old = o.n ? 1 : cur;
	ret = journal_append(journal, &at, "ipfwd %s %d\n", ns, o.old);
	if (!ret)
		ret = journal_append(journal, &at, "nft %s %s\n", ns, table);
	if (ret) {
		errf(e, ret, "lab %s: writing the journal %s: %s", lab->name,
		     journal, strerror(-ret));
		goto cleanup;
	}
	ret = nat_table_dnats(lab, &dnats, &s.ndnats);
	if (ret) {
		errf(e, ret, "lab %s: out of memory", lab->name);
		goto cleanup;
	}
	snprintf(ud, sizeof(ud), "ip_forward=%d subnet=%s", o.old,
		 ip_prefix_str(&lab->bridged_subnet, net, sizeof(net)));
	s.table = table;
	s.masq = lab->bridged_subnet;
	s.dnats = dnats;
	s.userdata = ud;
	ret = nft_nat_add(nl, &s);
	if (ret == -EEXIST) {
		/* not ours: someone made it between the list and now */
		journal_unappend(journal, at);
		errf(e, ret,
		     "lab %s: an nf_tables table ip %s exists already (a leftover? 'nft delete table ip %s')",
		     lab->name, table, table);
		goto cleanup;
	}
	if (ret == -EOPNOTSUPP || ret == -ENOENT) {
		nft_fail(lab, ret, nl, e);
		goto cleanup;
	}
	if (ret) {
		errf(e, ret, "lab %s: creating nf_tables table ip %s: %s%s%s",
		     lab->name, table, strerror(-ret),
		     nl_errmsg(nl)[0] ? ": " : "", nl_errmsg(nl));
		goto cleanup;
	}
	if (!cur) {
		ret = write_forward(1);
		if (ret)
			errf(e, ret, "lab %s: turning on %s: %s", lab->name,
			     IP_FORWARD, strerror(-ret));
	}
cleanup:
	free(o.names);
	free(dnats);
	nl_close(nl);
	if (lockfd >= 0)
		name_unlock(lockfd, "nat", nat_lock_name(ns), false);
	return ret;
}

int plan_undo_nft(const struct jline *j, const char *journal, struct err *e)
{
	struct nl *nl = NULL;
	int ret;

	(void)journal;
	if (j->ns && !netns_exists(j->ns))
		return 0;
	ret = nft_open(&nl, j->ns);
	if (!ret)
		ret = nft_table_del(nl, j->obj);
	if (ret == -ENOENT)
		ret = 0;
	if (ret)
		errf(e, ret, "removing nf_tables table ip %s in %s: %s%s%s",
		     j->obj, j->ns ? j->ns : "the host", strerror(-ret),
		     nl_errmsg(nl)[0] ? ": " : "", nl_errmsg(nl));
	nl_close(nl);
	return ret;
}

static int count_table(const char *name, const char *ud, void *arg)
{
	(void)ud;
	if (!strncmp(name, NAT_TABLE_PREFIX, strlen(NAT_TABLE_PREFIX)))
		(*(int *)arg)++;
	return 0;
}

/*
 * ip_forward back to what it was, unless another lab's table is still
 * there (it still needs forwarding; the last one restores it). Teardown
 * runs backwards, so this lab's own table is gone by now.
 */
/* in the journalled namespace: restore unless another table is left */
static int restore_forward(void *arg)
{
	const struct jline *j = arg;
	struct nl *nl = NULL;
	int ret, n = 0;

	ret = nft_open(&nl, NULL);
	if (!ret)
		ret = nft_tables(nl, count_table, &n);
	nl_close(nl);
	if (!ret && !n && read_forward() != (int)j->id)
		ret = write_forward(j->id);
	return ret;
}

int plan_undo_ipfwd(const struct jline *j, const char *journal, struct err *e)
{
	int ret, lockfd;

	(void)journal;
	if (j->ns && !netns_exists(j->ns))
		return 0; /* gone with its namespace */
	lockfd = name_lock("nat", j->ns ? j->ns : "host",
			   "restoring ip_forward", LAB_LOCK_WAIT_S, e);
	if (lockfd < 0)
		return lockfd;
	ret = netns_run(j->ns, restore_forward, (void *)j);
	name_unlock(lockfd, "nat", j->ns ? j->ns : "host", false);
	if (ret)
		errf(e, ret, "restoring %s to %lu: %s", IP_FORWARD, j->id,
		     strerror(-ret));
	return ret;
}
