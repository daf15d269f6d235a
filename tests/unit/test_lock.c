// SPDX-License-Identifier: GPL-2.0
/*
 * name_lock (src/node.c): the lock file lives under STATE_ROOT/.locks, a
 * second taker waits (bounded) and is told who holds it and what it does;
 * a removed lock file is not locked by a late taker; per kind.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "node.h"
#include "unit.h"

int main(void)
{
	char dir[] = "/tmp/umnet-test-lock.XXXXXX", path[PATH_MAX], want[256];
	struct err e = { "" };
	long long t0;
	int a, b, c;

	if (!mkdtemp(dir))
		return 1;
	setenv("UMNET_STATE_DIR", dir, 1);
	setenv("UMNET_LOCK_TIMEOUT", "0", 1);

	a = name_lock("node", "r1", "bringing it up", 30, &e);
	CHECK("take a free lock", a >= 0, "%d: %s", a, e.msg);
	snprintf(path, sizeof(path), "%s/.locks/node/r1", dir);
	CHECK("its file is STATE_ROOT/.locks/node/NAME", !access(path, F_OK),
	      "%s missing", path);

	b = name_lock("node", "r1", "taking it down", 30, &e);
	CHECK_INT("a held lock: -ETIMEDOUT", b, -ETIMEDOUT);
	snprintf(
		want, sizeof(want),
		"r1: another umnet (pid %d) is bringing it up; waited 0 s: try again when it is done",
		(int)getpid());
	CHECK_STR("the message names the holder and what it does", e.msg, want);

	c = name_lock("lab", "r1", "bringing the lab up", 30, &e);
	CHECK("a lab of the same name has its own lock", c >= 0, "%d: %s", c,
	      e.msg);
	name_unlock(c, "lab", "r1", true);

	setenv("UMNET_LOCK_TIMEOUT", "1", 1);
	t0 = now_ms();
	b = name_lock("node", "r1", "taking it down", 30, &e);
	CHECK("UMNET_LOCK_TIMEOUT=1 waits about a second",
	      b == -ETIMEDOUT && now_ms() - t0 >= 900 && now_ms() - t0 < 3000,
	      "%d after %lld ms", b, now_ms() - t0);

	name_unlock(a, "node", "r1", true);
	CHECK("unlock with remove removes the file", access(path, F_OK),
	      "%s still there", path);
	b = name_lock("node", "r1", "taking it down", 30, &e);
	CHECK("a removed lock can be taken again", b >= 0, "%d: %s", b, e.msg);
	name_unlock(b, "node", "r1", false);
	CHECK("unlock without remove keeps the file", !access(path, F_OK),
	      "%s missing", path);

	b = name_lock("node", "../x", "x", 30, &e);
	CHECK_INT("a name with a slash is refused", b, -EINVAL);

	unlink(path);
	snprintf(path, sizeof(path), "%s/.locks/node", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/.locks/lab", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/.locks", dir);
	rmdir(path);
	rmdir(dir);
	UNIT_DONE();
}
