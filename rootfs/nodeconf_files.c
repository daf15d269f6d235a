// SPDX-License-Identifier: GPL-2.0
/*
 * The node.conf keywords that write files in the node: file (a file or a
 * tree from the config drive) and resolv (/etc/resolv.conf).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nodeconf_priv.h"

#define COPY_CHUNK 8192 /* file: read and written at a time */

/* file DRIVEFILE /ABSOLUTE/DEST */
int nodeconf_file_parse(char *rest, struct nodeconf_action *a, char *msg,
			size_t len)
{
	char **w = a->words;

	if (nodeconf_split(rest, w, 2) != 2 || w[1][0] != '/')
		return nodeconf_err(msg, len,
				    "usage: file DRIVEFILE /ABSOLUTE/DEST");
	if (nodeconf_drive_path(a, w[0], msg, len) < 0)
		return -1;
	a->name = w[1];
	return 0;
}

/* mkdir -p of path's parent directory */
static int make_parents(char *path)
{
	char *s;

	for (s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	return 0;
}

/* a tree on the drive (Kathará's lab/NODE/): laid over DEST with cp -a */
static int copy_tree(struct nodeconf_action *a, char *msg, size_t len)
{
	char from[NODECONF_PATH_MAX + 2];
	char *argv[] = { "/bin/cp", "-a", from, a->name, NULL };

	/* a->path is shorter than NODECONF_PATH_MAX: this does not cut */
	snprintf(from, sizeof(from), "%s/.", a->path);
	if (mkdir(a->name, 0755) < 0 && errno != EEXIST)
		return nodeconf_err(msg, len, "file %s: %m", a->name);
	return node_run(argv, msg, len);
}

int nodeconf_file_apply(struct nodeconf_action *a, char *msg, size_t len)
{
	char buf[COPY_CHUNK], *dest = a->name;
	int in, out = -1, ret = -1;
	struct stat st;
	ssize_t r;

	in = open(a->path, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) < 0) {
		nodeconf_err(msg, len, "file %s: %m", a->path);
		goto cleanup;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = copy_tree(a, msg, len);
		goto cleanup;
	}
	if (make_parents(dest) < 0) {
		nodeconf_err(msg, len, "file %s: making its directory: %m",
			     dest);
		goto cleanup;
	}
	out = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		   st.st_mode & 07777);
	if (out < 0) {
		nodeconf_err(msg, len, "file %s: %m", dest);
		goto cleanup;
	}
	while ((r = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, r) != r) {
			nodeconf_err(msg, len, "file %s: write: %m", dest);
			goto cleanup;
		}
	}
	if (r < 0 || fchmod(out, st.st_mode & 07777) < 0) {
		nodeconf_err(msg, len, "file %s: %m", dest);
		goto cleanup;
	}
	ret = 0;
cleanup:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ret;
}

/* resolv ADDR...: /etc/resolv.conf's nameservers (at most 3, as libc) */
#define RESOLV_MAX 3
#define RESOLV_PATH "/etc/resolv.conf"

int nodeconf_resolv_parse(char *rest, struct nodeconf_action *a, char *msg,
			  size_t len)
{
	unsigned char buf[16];
	int n = nodeconf_split(rest, a->words, RESOLV_MAX + 1);

	if (n < 1 || n > RESOLV_MAX)
		return nodeconf_err(msg, len, "usage: resolv ADDR... (1 to %d)",
				    RESOLV_MAX);
	for (int i = 0; i < n; i++)
		if (inet_pton(AF_INET, a->words[i], buf) != 1 &&
		    inet_pton(AF_INET6, a->words[i], buf) != 1)
			return nodeconf_err(msg, len,
					    "resolv: '%s' is not an address",
					    a->words[i]);
	a->words[n] = NULL;
	return 0;
}

/* written beside it and renamed over it: a link there is replaced */
int nodeconf_resolv_apply(struct nodeconf_action *a, char *msg, size_t len)
{
	static const char tmp[] = RESOLV_PATH ".umnet";
	FILE *f = fopen(tmp, "we");
	int ret = -1;

	if (!f)
		return nodeconf_err(msg, len, "resolv: %s: %m", tmp);
	fputs("# written by umnet (nameserver =)\n", f);
	for (int i = 0; a->words[i]; i++)
		fprintf(f, "nameserver %s\n", a->words[i]);
	if (fchmod(fileno(f), 0644) < 0 || fflush(f) == EOF) {
		nodeconf_err(msg, len, "resolv: %s: %m", tmp);
		goto cleanup;
	}
	if (rename(tmp, RESOLV_PATH) < 0) {
		nodeconf_err(msg, len, "resolv: %s: %m", RESOLV_PATH);
		goto cleanup;
	}
	ret = 0;
cleanup:
	if (fclose(f) == EOF && !ret)
		ret = nodeconf_err(msg, len, "resolv: %s: %m", RESOLV_PATH);
	if (ret)
		unlink(tmp);
	return ret;
}
