// SPDX-License-Identifier: GPL-2.0
/*
 * bess: a SOCK_SEQPACKET unix socket connected to a switch, one Ethernet
 * frame per message (vector_user.c: user_init_unix_fds, ID_BESS). UML binds
 * the socket to src when given, then connects it to dst; `umnet switch` is
 * such a switch. No privileges, nothing on the host side but the switch.
 *
 * UML runs with its cwd in the node's state dir, so a relative path would
 * mean something else to it than to the user: relative src and dst are
 * resolved against the profile's directory here, and the absolute paths are
 * what the kernel gets (both keys are checked, then rendered by
 * bess_render_extra). The kernel silently ignores a src longer than
 * sun_path, and fails a dst longer than that without saying why: both are
 * errors here, and so is a path the kernel command line would split.
 *
 * vnet_hdr = 1: each frame carries a struct virtio_net_hdr (umnet's kernel
 * patch 0006), so TSO frames of up to 64 KiB and partial checksums cross
 * the link whole. The node then connects to DST.vnet, the switch's socket
 * for such ports (src/switch.h): the port says what it sends by where it
 * connects, and the switch converts between ports with and without the
 * header. A switch without DST.vnet is refused before boot.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "transport.h"

/* vector_user.c MAX_UN_LEN: sizeof(sun_path) - 1 */
#define BESS_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

static const struct opt_spec bess_keys[] = {
	{ .key = "src",
	  .type = OPT_PATH,
	  .help = "unix socket path UML binds to (optional)",
	  .local = true },
	{ .key = "dst",
	  .type = OPT_PATH,
	  .help = "the switch's unix socket path",
	  .local = true },
	{ .key = "vnet_hdr",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "1 = frames with a virtio-net header (TSO, checksum offload), via DST.vnet",
	  .local = true },
	{ .key = NULL },
};

static const enum host_kind bess_hosts[] = { HOST_NONE };

static const struct vec_opt *find_opt(const struct iface *ifc, const char *key)
{
	int i;

	for (i = 0; i < ifc->nopts; i++)
		if (!strcmp(ifc->opts[i].key, key))
			return &ifc->opts[i];
	return NULL;
}

static bool bess_vnet(const struct iface *ifc)
{
	const char *v = iface_opt(ifc, "vnet_hdr");

	return v && !strcmp(v, "1");
}

/*
 * the absolute path the kernel gets for v (with suffix, "" or ".vnet");
 * -ENAMETOOLONG past sun_path
 */
static int bess_path_sfx(const struct profile *p, const char *v,
			 const char *suffix, char *out, size_t len)
{
	int n;

	if (v[0] == '/')
		n = snprintf(out, len, "%s%s", v, suffix);
	else
		n = snprintf(out, len, "%s/%s%s", p->dir, v, suffix);
	if (n < 0 || (size_t)n >= len || (size_t)n > BESS_PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

static int bess_path(const struct profile *p, const char *v, char *out,
		     size_t len)
{
	return bess_path_sfx(p, v, "", out, len);
}

static int check_path(const struct profile *p, const struct iface *ifc,
		      const struct vec_opt *o, struct err *e)
{
	char path[PATH_MAX], wbuf[64], shown[200];
	const char *why;

	if (bess_path(p, o->value, path, sizeof(path)))
		return errf_at(
			e, -ENAMETOOLONG, p->path, o->line,
			"vec%d: bess: %s path %s%s%s is longer than a unix socket address allows (%zu bytes): use a shorter path",
			ifc->index, o->key, o->value[0] == '/' ? "" : p->dir,
			o->value[0] == '/' ? "" : "/", o->value, BESS_PATH_MAX);
	/* the path is rendered into vecN:...,src=PATH,dst=PATH */
	why = cmdline_unsafe(path, VECTOR_FORBID, wbuf, sizeof(wbuf));
	if (why)
		return errf_at(
			e, -EINVAL, p->path, o->line,
			"vec%d: bess: %s path %s %s: it goes on the kernel command line, which splits on whitespace, ',' and '='; use a path of printable ASCII without spaces, quotes, ',' or '='",
			ifc->index, o->key,
			str_escape(path, shown, sizeof(shown)), why);
	return 0;
}

static int bess_validate(const struct profile *p, const struct iface *ifc,
			 struct err *e)
{
	const struct vec_opt *src = find_opt(ifc, "src");
	const struct vec_opt *dst = find_opt(ifc, "dst");
	char a[PATH_MAX], b[PATH_MAX];
	int ret;

	if (!dst)
		return errf_at(
			e, -EINVAL, p->path, ifc->line,
			"vec%d: bess needs dst = <the switch's socket> (e.g. the -s path of 'umnet switch')",
			ifc->index);
	if ((ret = check_path(p, ifc, dst, e)))
		return ret;
	if (bess_vnet(ifc) &&
	    bess_path_sfx(p, dst->value, ".vnet", a, sizeof(a)))
		return errf_at(
			e, -ENAMETOOLONG, p->path, dst->line,
			"vec%d: bess: with vnet_hdr = 1 the node connects to dst + \".vnet\", and that is longer than a unix socket address allows (%zu bytes): use a shorter dst",
			ifc->index, BESS_PATH_MAX);
	if (!src)
		return 0;
	if ((ret = check_path(p, ifc, src, e)))
		return ret;
	bess_path(p, src->value, a, sizeof(a));
	bess_path(p, dst->value, b, sizeof(b));
	if (!strcmp(a, b))
		return errf_at(
			e, -EINVAL, p->path, src->line,
			"vec%d: bess: src and dst are the same socket (%s): src is the node's own end",
			ifc->index, a);
	return 0;
}

/*
 * The switch must be listening at dst before boot: UML connects when the
 * node brings vecN up, and a failure there only shows on its console
 * ("bess open:cannot connect"). Probing connects once, like UML would.
 */
static int check_dst(const struct profile *p, const struct iface *ifc,
		     struct err *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *sfx = bess_vnet(ifc) ? ".vnet" : "";
	char plain[sizeof(sa.sun_path)];
	int fd, ret = 0;

	if (bess_path_sfx(p, iface_opt(ifc, "dst"), sfx, sa.sun_path,
			  sizeof(sa.sun_path)) ||
	    bess_path(p, iface_opt(ifc, "dst"), plain, sizeof(plain)))
		return 0; /* validate said so already */
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return errf(e, -errno, "socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
	    errno != EAGAIN) {
		ret = -errno;
		if (*sfx && !access(plain, F_OK))
			errf(e, ret,
			     "%s vec%d: bess: vnet_hdr = 1, but the switch at dst %s takes no virtio-net headers (nothing listens at %s: %s): run a umnet switch that has it, or set vnet_hdr = 0",
			     p->name, ifc->index, plain, sa.sun_path,
			     strerror(-ret));
		else
			errf(e, ret,
			     "%s vec%d: bess: no switch at dst %s (%s): start one with 'umnet switch -s %s'",
			     p->name, ifc->index, plain, strerror(-ret), plain);
	}
	close(fd);
	return ret;
}

/*
 * UML binds src and never removes it, so the socket file of the previous
 * run of this node is still there: remove it (only if it is a socket).
 */
static int bess_prepare(const struct profile *p, const struct iface *ifc,
			const struct node_paths *np, struct fd_pass *pass,
			struct err *e)
{
	const char *src = iface_opt(ifc, "src");
	char path[PATH_MAX];
	struct stat st;
	int ret;

	(void)np;
	(void)pass;
	if ((ret = check_dst(p, ifc, e)))
		return ret;
	if (!src || bess_path(p, src, path, sizeof(path)))
		return 0;
	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode))
		return errf(
			e, -EEXIST,
			"%s vec%d: bess: src %s exists and is not a socket: remove it or choose another src",
			p->name, ifc->index, path);
	if (unlink(path) < 0)
		return errf(e, -errno,
			    "%s vec%d: bess: removing the old socket %s: %s",
			    p->name, ifc->index, path, strerror(errno));
	return 0;
}

static int bess_render_extra(const struct profile *p, const struct iface *ifc,
			     const struct node_paths *np, struct strbuf *sb)
{
	const char *src = iface_opt(ifc, "src");
	const char *dst = iface_opt(ifc, "dst");
	char path[PATH_MAX];

	(void)np;
	if (src) {
		if (bess_path(p, src, path, sizeof(path)))
			return -ENAMETOOLONG;
		sb_printf(sb, ",src=%s", path);
	}
	if (dst) {
		if (bess_path_sfx(p, dst, bess_vnet(ifc) ? ".vnet" : "", path,
				  sizeof(path)))
			return -ENAMETOOLONG;
		sb_printf(sb, ",dst=%s", path);
	}
	if (bess_vnet(ifc))
		sb_puts(sb, ",vnet_hdr=1");
	/* a stable MAC, as on a wire: the other ports' ARP entries survive
	 * the node's restart */
	if (!iface_opt(ifc, "mac")) {
		char mac[MAC_STR_LEN];

		node_mac(p->name, ifc->index, mac);
		sb_printf(sb, ",mac=%s", mac);
	}
	return sb->oom ? -ENOMEM : 0;
}

const struct transport transport_bess = {
	.name = "bess",
	.summary = "SOCK_SEQPACKET unix socket to a switch (umnet switch)",
	.keys = bess_keys,
	.host_kinds = bess_hosts,
	.uml_needs = 0,
	.validate = bess_validate,
	.prepare = bess_prepare,
	.render_extra = bess_render_extra,
};
