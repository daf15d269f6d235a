// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces in the host plan. Namespaces umnet made are shared:
 * STATE_ROOT/.netns/NAME lists the journals (one path per line) of the
 * nodes and labs using it, under the "netns" lock. The one that made it is
 * a user like the others; the last user's teardown removes it. A namespace
 * without such a file is not umnet's (the user's own) and is never removed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "node.h"
#include "plan_int.h"

/* how long to wait for another node changing namespace users */
#define NETNS_LOCK_WAIT_S 30

static int users_path(const char *ns, char *out, size_t len, bool mkdirs)
{
	char root[PATH_MAX];
	int ret;

	ret = state_root(root, sizeof(root));
	if (ret)
		return ret;
	ret = path_fmt(out, len, "%s/.netns", root);
	if (ret)
		return ret;
	if (mkdirs && (ret = mkdir_p(out, 0700)))
		return ret;
	return path_fmt(out, len, "%s/.netns/%s", root, ns);
}

/* the users of ns without `drop`, plus `add`; written atomically */
static int users_update(const char *path, const char *data, const char *drop,
			const char *add, int *left)
{
	struct strbuf sb = { 0 };
	char tmp[PATH_MAX + 8];
	const char *p = data ? data : "";
	int ret = 0;

	*left = 0;
	while (*p) {
		size_t l = strcspn(p, "\n");

		if (l && !(drop && strlen(drop) == l && !strncmp(p, drop, l)) &&
		    !(add && strlen(add) == l && !strncmp(p, add, l))) {
			sb_printf(&sb, "%.*s\n", (int)l, p);
			(*left)++;
		}
		p += l + (p[l] == '\n');
	}
	if (add) {
		sb_printf(&sb, "%s\n", add);
		(*left)++;
	}
	if (sb.oom) {
		ret = -ENOMEM;
		goto cleanup;
	}
	ret = path_fmt(tmp, sizeof(tmp), "%s.new", path);
	if (ret)
		goto cleanup;
	ret = write_file(tmp, sb.buf ? sb.buf : "", sb.len, 0600);
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
cleanup:
	sb_free(&sb);
	return ret;
}

static bool users_has(const char *data, const char *who)
{
	size_t n = strlen(who);
	const char *p = data;

	while (p && *p) {
		if (!strncmp(p, who, n) && (p[n] == '\n' || !p[n]))
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

static int netns_lock(struct err *e)
{
	return name_lock("netns", "users", "changing namespace users",
			 NETNS_LOCK_WAIT_S, e);
}

static void netns_unlock(int fd)
{
	name_unlock(fd, "netns", "users", false);
}

/* the users file at path is gone: its directory too, when empty */
static void users_remove(char *path)
{
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
}

/*
 * A namespace: made (and journalled) unless it exists. One that umnet made
 * for another node or lab is shared: we become one of its users.
 */
int plan_apply_netns(const struct action *a, const char *journal, struct err *e)
{
	char path[PATH_MAX], what[PLAN_WHAT_MAX], *users = NULL;
	struct nl *nl = NULL;
	int lockfd, ret, left;
	bool shared;
	off_t at;

	snprintf(what, sizeof(what), "creating netns %s", a->netns);
	lockfd = netns_lock(e);
	if (lockfd < 0)
		return lockfd;
	ret = users_path(a->netns, path, sizeof(path), false);
	if (ret) {
		plan_fail(e, a, NULL, ret, "namespace users file");
		goto cleanup;
	}
	ret = read_file(path, &users, NULL);
	if (ret && ret != -ENOENT) {
		plan_fail(e, a, NULL, ret, path);
		goto cleanup;
	}
	shared = !ret;
	ret = 0;
	if (!shared && netns_exists(a->netns))
		goto cleanup; /* the user's own: not ours */
	/* journal, then the users file, then the namespace */
	ret = journal_append(journal, &at, "netns %s\n", a->netns);
	if (ret) {
		plan_fail(e, a, NULL, ret, "writing the journal");
		goto cleanup;
	}
	ret = users_path(a->netns, path, sizeof(path), true);
	if (!ret)
		ret = users_update(path, users, NULL, journal, &left);
	if (ret) {
		journal_unappend(journal, at);
		plan_fail(e, a, NULL, ret, path);
		goto cleanup;
	}
	if (shared && netns_exists(a->netns))
		goto cleanup;
	ret = netns_add(a->netns);
	if (ret == -EEXIST) {
		/* made by someone else since: theirs, not ours */
		if (!shared)
			users_remove(path);
		else
			users_update(path, users, journal, NULL, &left);
		journal_unappend(journal, at);
		ret = 0;
		goto cleanup;
	}
	if (ret) {
		plan_fail(e, a, NULL, ret, what);
		goto cleanup;
	}
	/* a namespace we made gets a working loopback */
	ret = nl_open(&nl, a->netns);
	if (!ret)
		ret = link_set_up(nl, "lo", true);
	if (ret)
		plan_fail(e, a, nl, ret, "setting lo up in the new netns");
cleanup:
	nl_close(nl);
	free(users);
	netns_unlock(lockfd);
	return ret;
}

/* teardown of a "netns NAME" line: leave it while others use it */
int plan_undo_netns(const struct jline *j, const char *journal, struct err *e)
{
	char path[PATH_MAX], *users = NULL;
	int lockfd, ret, left = 0;

	lockfd = netns_lock(e);
	if (lockfd < 0)
		return lockfd;
	ret = users_path(j->ns, path, sizeof(path), false);
	if (!ret)
		ret = read_file(path, &users, NULL);
	if (ret == -ENOENT) {
		ret = 0; /* not umnet's: never ours to remove */
		goto cleanup;
	}
	if (ret) {
		errf(e, ret, "netns %s: users file: %s", j->ns, strerror(-ret));
		goto cleanup;
	}
	/* listed, or an empty list left by an interrupted removal */
	if (users[0] && !users_has(users, journal))
		goto cleanup;
	ret = users_update(path, users, journal, NULL, &left);
	if (ret) {
		errf(e, ret, "%s: %s", path, strerror(-ret));
		goto cleanup;
	}
	if (left)
		goto cleanup;
	ret = netns_del(j->ns);
	if (ret == -ENOENT)
		ret = 0;
	if (ret) {
		errf(e, ret, "removing netns %s: %s", j->ns, strerror(-ret));
		goto cleanup;
	}
	users_remove(path);
cleanup:
	free(users);
	netns_unlock(lockfd);
	return ret;
}
