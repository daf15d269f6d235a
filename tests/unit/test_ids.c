// SPDX-License-Identifier: GPL-2.0
/* ids.c: node and lab uids from a range, O_EXCL files under STATE/.ids */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ids.h"
#include "unit.h"
#include "util.h"

int main(void)
{
	char dir[] = "/tmp/umnet-unit-ids.XXXXXX", path[256];
	unsigned int a, a2, b, c, d;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	setenv("UMNET_STATE_DIR", dir, 1);
	unsetenv("UMNET_ID_BASE");

	CHECK_INT("base: default", ids_base(), UMNET_ID_BASE_DEFAULT);
	CHECK_INT("lookup before alloc: -ENOENT", ids_lookup("r1", &a),
		  -ENOENT);
	CHECK_INT("alloc r1", ids_alloc("r1", &a), 0);
	CHECK("r1's id is in the range",
	      a >= UMNET_ID_BASE_DEFAULT &&
		      a < UMNET_ID_BASE_DEFAULT + UMNET_ID_COUNT,
	      "got %u", a);
	CHECK_INT("alloc r1 again", ids_alloc("r1", &a2), 0);
	CHECK_INT("r1 gets its id back", a2, a);
	CHECK_INT("lookup r1", ids_lookup("r1", &a2), 0);
	CHECK_INT("lookup finds the same id", a2, a);
	CHECK_INT("alloc lab:x", ids_alloc("lab:x", &b), 0);
	CHECK("another owner, another id", b != a, "both %u", a);
	snprintf(path, sizeof(path), "%s/.ids/%u", dir, a - ids_base());
	CHECK_INT("the id's file exists", access(path, F_OK), 0);

	/* an id taken by a crashed umnet (no reverse entry) is skipped */
	CHECK_INT("free r1", ids_free("r1"), 0);
	CHECK_INT("lookup after free: -ENOENT", ids_lookup("r1", &a2), -ENOENT);
	CHECK_INT("the id's file is gone", access(path, F_OK), -1);
	CHECK_INT("free again: 0", ids_free("r1"), 0);
	CHECK_INT("write a stray id file", write_file(path, "ghost\n", 6, 0600),
		  0);
	CHECK_INT("alloc r1 past the stray file", ids_alloc("r1", &c), 0);
	CHECK("a taken id is never handed out twice", c != a, "got %u", c);
	unlink(path);

	/* racing allocations for one owner end with one id */
	{
		unsigned int got[8];
		int pfd[2], i, same = 1, files = 0;
		struct dirent *de;
		DIR *dd;

		if (pipe(pfd) == 0) {
			for (i = 0; i < 8; i++)
				if (fork() == 0) {
					unsigned int v = 0;

					ids_alloc("race", &v);
					if (write(pfd[1], &v, sizeof(v)) < 0)
						_exit(1);
					_exit(0);
				}
			for (i = 0; i < 8; i++) {
				if (read(pfd[0], &got[i], sizeof(got[i])) !=
				    sizeof(got[i]))
					got[i] = 0;
				wait(NULL);
				same &= got[i] == got[0] && got[i];
			}
			close(pfd[0]);
			close(pfd[1]);
		}
		CHECK("8 racing allocations of one owner get one id", same,
		      "first %u", got[0]);
		snprintf(path, sizeof(path), "%s/.ids", dir);
		dd = opendir(path);
		while (dd && (de = readdir(dd)))
			files += de->d_name[0] >= '0' && de->d_name[0] <= '9';
		if (dd)
			closedir(dd);
		/* r1 and lab:x hold one each, race one */
		CHECK_INT("and only one id file is left for it", files, 3);
		ids_free("race");
	}

	CHECK_INT("owner with '/': -EINVAL", ids_alloc("a/b", &d), -EINVAL);
	CHECK_INT("empty owner: -EINVAL", ids_alloc("", &d), -EINVAL);

	setenv("UMNET_ID_BASE", "100000", 1);
	CHECK_INT("base: UMNET_ID_BASE", ids_base(), 100000);
	setenv("UMNET_ID_BASE", "12x", 1);
	CHECK_INT("base: a bad UMNET_ID_BASE is ignored", ids_base(),
		  UMNET_ID_BASE_DEFAULT);
	unsetenv("UMNET_ID_BASE");

	ids_free("r1");
	ids_free("lab:x");
	CHECK_INT("remove the state dir", rm_rf(dir), 0);
	UNIT_DONE();
}
