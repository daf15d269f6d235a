// SPDX-License-Identifier: GPL-2.0
/*
 * The host plan's journal. A journal is a text file in the node's state
 * directory, one object per line, appended before the object is made:
 *   netns NAME
 *   link NETNS|- IFNAME
 *   l2tp NETNS|- TUNNEL_ID
 *   nft NETNS|- TABLE       (an nf_tables table, labnat.c)
 *   ipfwd NETNS|- 0|1       (net.ipv4.ip_forward before a lab's NAT)
 * Fields are separated by one space; names are [A-Za-z0-9_.-] (checked on
 * write and on read), so a line always parses back to what was made.
 * Teardown reads it backwards and hands each line to the undo of the action
 * kind that wrote it (plan_undo). A moved link gets a second line naming
 * its new namespace, so it is found wherever it ended up.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "plan_int.h"

/* the fields of the longest line: kind, namespace, object */
#define JOURNAL_FIELDS 3

int journal_parse(char *line, struct jline *j)
{
	char *f[JOURNAL_FIELDS + 1];
	int n = 0;

	f[n++] = line;
	for (char *p = line; *p; p++)
		if (*p == ' ') {
			if (n == JOURNAL_FIELDS + 1)
				return -EINVAL;
			*p = '\0';
			f[n++] = p + 1;
		}
	if (n == 2 && !strcmp(f[0], "netns")) {
		j->kind = J_NETNS;
		j->ns = j->obj = f[1];
		return host_name_valid(f[1], NETNS_NAME_MAX - 1) ? 0 : -EINVAL;
	}
	if (n != JOURNAL_FIELDS)
		return -EINVAL;
	j->ns = strcmp(f[1], "-") ? f[1] : NULL;
	if (j->ns && !host_name_valid(j->ns, NETNS_NAME_MAX - 1))
		return -EINVAL;
	j->obj = f[2];
	if (!strcmp(f[0], "link")) {
		j->kind = J_LINK;
		return host_name_valid(f[2], IFNAMSIZ - 1) ? 0 : -EINVAL;
	}
	if (!strcmp(f[0], "l2tp")) {
		j->kind = J_L2TP;
		return parse_uint(f[2], 1, UINT32_MAX, &j->id);
	}
	if (!strcmp(f[0], "nft")) {
		j->kind = J_NFT;
		return host_name_valid(f[2], NFT_NAME_MAX - 1) ? 0 : -EINVAL;
	}
	if (!strcmp(f[0], "ipfwd")) {
		j->kind = J_IPFWD;
		return parse_uint(f[2], 0, 1, &j->id);
	}
	return -EINVAL;
}

int journal_append(const char *path, off_t *at, const char *fmt, ...)
{
	char line[JOURNAL_LINE_MAX], copy[JOURNAL_LINE_MAX];
	struct jline j;
	va_list ap;
	int fd = -1, ret = 0, n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(line))
		return -ENAMETOOLONG;
	/* only what journal_teardown reads back exactly is written */
	memcpy(copy, line, n + 1);
	if (n < 2 || copy[n - 1] != '\n')
		return -EINVAL;
	copy[n - 1] = '\0';
	if (journal_parse(copy, &j))
		return -EINVAL;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	*at = lseek(fd, 0, SEEK_END);
	if (*at < 0 || write(fd, line, n) != n || fdatasync(fd) < 0)
		ret = -errno ? -errno : -EIO;
	close(fd);
	return ret;
}

/* forget the line appended at `at`: the object is not ours */
void journal_unappend(const char *path, off_t at)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (ftruncate(fd, at) == 0)
		fdatasync(fd);
	close(fd);
}

int journal_teardown(const char *journal_path, struct err *e)
{
	char *data = NULL, **lines = NULL, *p;
	int n = 0, i, ret = 0;
	size_t len = 0;

	ret = read_file(journal_path, &data, &len);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return errf(e, ret, "%s: %s", journal_path, strerror(-ret));
	for (p = data; *p; p++)
		n += *p == '\n';
	lines = calloc(n + 1, sizeof(*lines));
	if (!lines) {
		ret = errf(e, -ENOMEM, "%s: out of memory", journal_path);
		goto cleanup;
	}
	/*
	 * Line i + 1 is lines[i]. A last line without its '\n' is an append
	 * that failed: its object was never made, so it is not acted on.
	 */
	for (n = 0, p = data; *p; n++) {
		char *nl = strchr(p, '\n');

		if (!nl)
			break;
		*nl = '\0';
		lines[n] = p;
		p = nl + 1;
	}
	for (i = n - 1; i >= 0; i--) {
		char shown[160], buf[JOURNAL_LINE_MAX];
		struct jline j;
		int r;

		if (strscpy(buf, lines[i], sizeof(buf)) ||
		    journal_parse(buf, &j))
			r = errf(
				e, -EINVAL,
				"%s:%d: not a journal line (\"%s\"): not acted on; what it recorded, if anything, must be removed by hand",
				journal_path, i + 1,
				str_escape(lines[i], shown, sizeof(shown)));
		else
			r = plan_undo(&j, journal_path, e);
		if (r && !ret)
			ret = r;
	}
cleanup:
	free(lines);
	free(data);
	return ret;
}
