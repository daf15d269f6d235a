// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the subcommands. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"
#include "supervisor.h"
#include "transport.h"

void warnx_(const char *fmt, ...)
{
	va_list ap;

	fputs("umnet: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int profile_plan(const struct profile *p, struct plan *plan, struct err *e)
{
	int i, first = plan->n, ret;

	if (p->netns[0]) {
		struct action a = { .kind = ACT_NETNS_ADD,
				    .phase = PHASE_PRE_BOOT };

		strscpy(a.netns, p->netns, sizeof(a.netns));
		snprintf(a.owner, sizeof(a.owner), "%s", p->name);
		ret = plan_add(plan, &a);
		if (ret)
			return err_set(e, "out of memory"), ret;
		first = plan->n;
	}
	for (i = 0; i < p->nifaces; i++) {
		const struct iface *ifc = &p->ifaces[i];

		if (!ifc->transport->host_plan)
			continue;
		ret = ifc->transport->host_plan(p, ifc, plan, e);
		if (ret)
			return ret;
	}
	/* a node run in a netns has its "host" side there */
	for (i = first; p->netns[0] && i < plan->n; i++)
		if (!plan->acts[i].netns[0])
			strscpy(plan->acts[i].netns, p->netns,
				sizeof(plan->acts[i].netns));
	return 0;
}

static unsigned int iface_needs(const struct iface *ifc)
{
	const struct transport *t = ifc->transport;

	return t->needs ? t->needs(ifc) : t->uml_needs;
}

unsigned int profile_needs(const struct profile *p, const struct plan *plan)
{
	unsigned int need = 0;
	int i;

	for (i = 0; i < p->nifaces; i++)
		need |= iface_needs(&p->ifaces[i]);
	if (plan->n)
		need |= NEED_NET_ADMIN;
	return need;
}

static bool have_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { 0 };

	if (syscall(SYS_capget, &h, d) < 0)
		return geteuid() == 0;
	return d[cap / 32].effective & (1u << (cap % 32));
}

int check_privileges(const struct profile *p, const struct plan *plan,
		     struct err *e)
{
	unsigned int need = profile_needs(p, plan);
	int i;

	if ((need & NEED_NET_ADMIN) && !have_cap(CAP_NET_ADMIN))
		return err_set(e,
			       "%s: creating its host side (namespaces, veth pairs, taps) needs CAP_NET_ADMIN: run as root, or remove the host = lines and create the interfaces beforehand",
			       p->path),
		       -EPERM;
	if ((need & NEED_NET_RAW) && !have_cap(CAP_NET_RAW)) {
		for (i = 0; i < p->nifaces; i++)
			if (iface_needs(&p->ifaces[i]) & NEED_NET_RAW)
				break;
		return err_set(e,
			       "%s:%d: vec%d: transport %s opens a raw socket and needs CAP_NET_RAW: run as root, or use transport = tap",
			       p->path, p->ifaces[i].line, p->ifaces[i].index,
			       p->ifaces[i].transport->name),
		       -EPERM;
	}
	return 0;
}

int node_lookup(const char *arg, struct node_paths *np, bool need_running)
{
	char name[NODE_NAME_MAX + 2];
	char *slash;
	int ret;

	/* LAB/NODE is the lab's node LAB.NODE */
	strscpy(name, arg, sizeof(name));
	slash = strchr(name, '/');
	if (slash && !strchr(slash + 1, '/'))
		*slash = '.';
	ret = node_paths(name, np);
	if (ret == -EINVAL) {
		say_err("'%s' is not a valid node name", name);
		return ret;
	}
	if (ret) {
		say_err("%s: %s", name, strerror(-ret));
		return ret;
	}
	if (access(np->dir, F_OK)) {
		say_err("no node named %s (see 'umnet status')", name);
		return -ENOENT;
	}
	if (need_running && !node_running(np, NULL)) {
		say_err("%s is not running (its UML process is gone): 'umnet down %s' cleans up",
			name, name);
		return -ESRCH;
	}
	return 0;
}

int node_teardown(const struct node_paths *np, struct err *e)
{
	unsigned long long st;
	pid_t pid = 0;
	int ret;

	/*
	 * A node whose disk is the COW file in its state dir loses it anyway:
	 * kill it at once. A persistent disk = gets a clean halt first.
	 */
	if (!node_read_pid(np, &pid, &st))
		uml_stop(np, pid, node_disk_is_ephemeral(np) ? 0 : 3000);
	uml_stop_holder(np);
	ret = journal_teardown(np->journal, e);
	if (ret)
		return ret;
	ret = rm_rf(np->dir);
	if (ret)
		err_set(e, "removing %s: %s", np->dir, strerror(-ret));
	return ret;
}

int node_down(const struct node_paths *np, struct err *e)
{
	int lockfd, ret = 0;

	lockfd = name_lock("node", np->name, "taking it down", NODE_LOCK_WAIT_S,
			   e);
	if (lockfd < 0)
		return lockfd;
	/* gone while we waited (a failed up, another down): nothing to do */
	if (access(np->dir, F_OK) == 0)
		ret = node_teardown(np, e);
	name_unlock(lockfd, "node", np->name, access(np->dir, F_OK) != 0);
	return ret;
}
