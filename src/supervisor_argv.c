// SPDX-License-Identifier: GPL-2.0
/*
 * The UML command line (supervisor.h): built from a profile, with the
 * guest's loops_per_jiffy from the host, and checked before it is run.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "supervisor.h"
#include "transport.h"

void argv_free(struct argv *a)
{
	int i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

static int argv_add(struct argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int argv_add(struct argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (a->n + 2 > a->cap) {
		int cap = a->cap ? a->cap * 2 : 32;
		char **v = realloc(a->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return -ENOMEM;
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
	return 0;
}

unsigned long lpj_from(const char *cpuinfo, const char *kconfig)
{
	const char *b, *h;
	double mips;
	long hz;

	if (!cpuinfo || !kconfig)
		return 0;
	b = strstr(cpuinfo, "\nbogomips");
	h = strstr(kconfig, "\nCONFIG_HZ=");
	if (!b || !h || !(b = strchr(b, ':')))
		return 0;
	mips = strtod(b + 1, NULL);
	hz = strtol(h + strlen("\nCONFIG_HZ="), NULL, 10);
	if (!(mips > 1.0 && mips < 1e6) || hz < 24 || hz > 10000)
		return 0;
	/* BogoMIPS = lpj * HZ / 500000 */
	return (unsigned long)(mips * 500000.0 / hz);
}

/* KERNEL.config beside a build/linux link, or config in the cache dir */
static int read_kconfig(const char *kernel, char **out)
{
	const char *slash = strrchr(kernel, '/');
	int dirlen = slash ? (int)(slash - kernel + 1) : 0;
	char path[PATH_MAX];
	size_t len;

	if (!path_fmt(path, sizeof(path), "%s.config", kernel) &&
	    !read_file(path, out, &len))
		return 0;
	if (path_fmt(path, sizeof(path), "%.*sconfig", dirlen, kernel))
		return -ENAMETOOLONG;
	return read_file(path, out, &len);
}

unsigned long host_lpj(const char *kernel)
{
	char *cpuinfo = NULL, *kconfig = NULL;
	unsigned long lpj = 0;
	size_t len;

	if (!read_file("/proc/cpuinfo", &cpuinfo, &len) &&
	    !read_kconfig(kernel, &kconfig))
		lpj = lpj_from(cpuinfo, kconfig);
	free(cpuinfo);
	free(kconfig);
	return lpj;
}

int uml_argv(const struct profile *p, const struct node_paths *np,
	     const char *kernel, const char *rootfs, const char *cow,
	     unsigned long lpj, struct argv *out)
{
	struct strbuf sb = { 0 };
	int i, ret = 0;

	ret |= argv_add(out, "%s", kernel);
	ret |= argv_add(out, "mem=%luM", p->mem_mb);
	if (lpj)
		ret |= argv_add(out, "lpj=%lu", lpj);
	ret |= argv_add(out, "umid=%s", p->name);
	ret |= argv_add(out, "uml_dir=%s", np->umldir);
	ret |= argv_add(out, "ubd0=%s,%s", cow, rootfs);
	ret |= argv_add(out, "ubd1r=%s", np->drive);
	ret |= argv_add(out, "root=/dev/ubda");
	ret |= argv_add(out, "rw");
	/*
	 * Only errors and worse reach the console (the node's console log on
	 * the host) by default: a guest's debug and info printk cannot fill
	 * the host's disk at boot or under load. All levels stay in the
	 * guest's dmesg. This bounds the default only: root in the guest can
	 * raise the level again (dmesg -n).
	 */
	ret |= argv_add(out, "loglevel=4");
	ret |= argv_add(out, "con=null");
	ret |= argv_add(out, "con0=null,fd:1");
	ret |= argv_add(out, "con1=pts");
	ret |= argv_add(out, "con2=pts");
	ret |= argv_add(out, "ssl=null");
	ret |= argv_add(out, "mconsole=notify:%s", np->notify);
	for (i = 0; i < p->nifaces && !ret; i++) {
		sb.len = 0;
		ret = transport_render(p, &p->ifaces[i], np, &sb);
		if (!ret)
			ret = argv_add(out, "%s", sb_str(&sb));
	}
	sb_free(&sb);
	return ret ? -ENOMEM : 0;
}

void uml_cmdline(const struct argv *a, struct strbuf *sb)
{
	int i;

	for (i = 0; i < a->n; i++) {
		if (i)
			sb_puts(sb, " ");
		sb_shquote(sb, a->v[i]);
	}
}

/* arch/um/include/asm/setup.h; UML adds "console=tty0" without console= */
#define UML_COMMAND_LINE_SIZE 4096
#define UML_DEFAULT_CONSOLE "console=tty0"

/* where an argument's text comes from, for the error message */
static const char *arg_source(const char *arg)
{
	if (!strncmp(arg, "uml_dir=", 8) || !strncmp(arg, "ubd1", 4) ||
	    !strncmp(arg, "mconsole=", 9))
		return "the state directory (UMNET_STATE_DIR, else /run/umnet as root, else $XDG_RUNTIME_DIR/umnet): choose one";
	if (!strncmp(arg, "ubd0", 4))
		return "the profile's disk =, the state directory or the base image (UMNET_ROOTFS): choose paths";
	if (!strncmp(arg, "vec", 3))
		return "the profile's [interface] keys and the paths umnet adds (state directory, bess sockets): use values and paths";
	return "the profile or the environment: use values";
}

static int arg_err(struct err *e, const char *arg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int arg_err(struct err *e, const char *arg, const char *fmt, ...)
{
	char shown[200], msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return errf(
		e, -EINVAL,
		"refusing to start UML: the command line argument \"%s\" %s; the kernel splits its command line on whitespace, and its options on ',', '=' and ':'. It comes from %s of printable ASCII without spaces, quotes, ',' or ':'",
		str_escape(arg, shown, sizeof(shown)), msg, arg_source(arg));
}

/* "vecN:k=v,...": the syntax uml_parse_vector_ifspec reads */
static int check_vec(const char *arg, struct err *e)
{
	const char *p = arg + 3, *pair;
	int npairs = 0;

	if (!(*p >= '0' && *p <= '9'))
		return arg_err(e, arg, "is not vecN:...");
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p++ != ':')
		return arg_err(e, arg, "is not vecN:...");
	if (strncmp(p, "transport=", 10))
		return arg_err(e, arg, "does not start with transport=");
	for (pair = p; *pair; npairs++) {
		size_t len = strcspn(pair, ","), klen = strcspn(pair, "=,");

		if (klen == 0 || klen >= len - 1 ||
		    memchr(pair + klen + 1, '=', len - klen - 1))
			return arg_err(
				e, arg,
				"has an option that is not key=value (pair %d)",
				npairs + 1);
		pair += len;
		if (*pair == ',' && !*++pair)
			return arg_err(e, arg, "ends with ','");
	}
	if (npairs > VECTOR_MAX_ARGS)
		return arg_err(e, arg,
			       "has %d options: the kernel reads at most %d",
			       npairs, VECTOR_MAX_ARGS);
	return 0;
}

int argv_check(const struct argv *a, struct err *e)
{
	size_t total = 0;
	const char *why;
	char wbuf[64];
	int i, nparts;

	if (!a || a->n < 2 || !a->v[0] || !a->v[0][0])
		return errf(e, -EINVAL,
			    "refusing to start UML: no kernel or no arguments");
	for (const char *s = a->v[0]; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return arg_err(
				e, a->v[0],
				"(the kernel) contains a control character");
	for (i = 1; i < a->n; i++) {
		const char *v = a->v[i];
		const char *eq;

		if (!v)
			return arg_err(e, "(null)", "is missing");
		why = cmdline_unsafe(v, NULL, wbuf, sizeof(wbuf));
		if (why)
			return arg_err(e, v, "%s", why);
		if (!((v[0] >= 'a' && v[0] <= 'z') ||
		      (v[0] >= 'A' && v[0] <= 'Z') ||
		      (v[0] >= '0' && v[0] <= '9')))
			return arg_err(e, v,
				       "does not start with a letter or digit");
		if (!strncmp(v, "vec", 3) && check_vec(v, e))
			return -EINVAL;
		eq = strchr(v, '=');
		if (!strncmp(v, "ubd", 3) && eq) {
			/* ubd_setup_common: FILE[,:]BACKING[,:]SERIAL */
			if (strchr(eq + 1, ':'))
				return arg_err(
					e, v,
					"contains ':', on which ubd= splits its value");
			nparts = 1;
			for (const char *s = eq + 1; *s; s++)
				nparts += *s == ',';
			if (nparts > 2)
				return arg_err(
					e, v,
					"has more than FILE,BACKING (ubd= splits on ',')");
		}
		/* umid= is UML's alone; everything else joins the command line */
		if (strncmp(v, "umid=", 5))
			total += strlen(v) + 1;
	}
	total += strlen(UML_DEFAULT_CONSOLE);
	if (total >= UML_COMMAND_LINE_SIZE)
		return errf(
			e, -E2BIG,
			"refusing to start UML: its command line would be %zu bytes, the kernel takes at most %d: use shorter paths (state directory, profile directory) or fewer interface options",
			total, UML_COMMAND_LINE_SIZE - 1);
	return 0;
}
