// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/tar.c: a tree round trip (modes, links, empty and
 * deep directories, binary contents), the same bytes twice, GNU tar reads
 * what tar_add writes and tar_unpack reads what GNU tar writes, the size
 * bound, and archives that try to leave their directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tar.h"
#include "unit.h"
#include "util.h"

static char top[] = "/tmp/umnet-unit-tar.XXXXXX";

static void put(const char *rel, const char *data, size_t len, mode_t mode)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	if (write_file(path, data, len, mode) || chmod(path, mode))
		fprintf(stderr, "cannot make %s\n", path);
}

static void dir(const char *rel, mode_t mode)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	if (mkdir(path, mode) || chmod(path, mode))
		fprintf(stderr, "cannot make %s\n", path);
}

static mode_t mode_of(const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	return lstat(path, &st) ? (mode_t)-1 : st.st_mode;
}

static bool same_file(const char *a, const char *b)
{
	char pa[PATH_MAX], pb[PATH_MAX], *da = NULL, *db = NULL;
	size_t la = 0, lb = 0;
	bool same;

	snprintf(pa, sizeof(pa), "%s/%s", top, a);
	snprintf(pb, sizeof(pb), "%s/%s", top, b);
	same = !read_all(pa, 1 << 20, &da, &la) &&
	       !read_all(pb, 1 << 20, &db, &lb) && la == lb &&
	       !memcmp(da, db, la);
	free(da);
	free(db);
	return same;
}

static int run(const char *cmd)
{
	char line[PATH_MAX * 2];

	snprintf(line, sizeof(line), "cd %s && %s", top, cmd);
	return system(line);
}

static const char deep[] =
	"src/d1234567890/d1234567890/d1234567890/d1234567890/d1234567890/"
	"d1234567890/d1234567890/d1234567890/deep.conf";

static void make_tree(void)
{
	static const char bin[] = { 0, 1, 2, 0, (char)0xff, '\n', 0 };
	char big[1300], path[PATH_MAX];

	memset(big, 'x', sizeof(big));
	dir("src", 0750);
	put("src/run.sh", "#!/bin/sh\necho hi\n", 18, 0755);
	dir("src/etc", 0755);
	put("src/etc/big.conf", big, sizeof(big), 0640);
	put("src/etc/bin", bin, sizeof(bin), 0600);
	put("src/etc/empty", "", 0, 0644);
	dir("src/void", 0700);
	snprintf(path, sizeof(path), "%s/src/link", top);
	if (symlink("etc/big.conf", path))
		perror("symlink");
	snprintf(path, sizeof(path), "%s/%s", top, deep);
	*strrchr(path, '/') = '\0';
	mkdir_p(path, 0755);
	put(deep, "deep\n", 5, 0644);
	put("one", "just one\n", 9, 0700);
}

static void round_trip(void)
{
	struct strbuf a = { 0 }, b = { 0 };
	struct err e = { "" };
	char src[PATH_MAX], one[PATH_MAX], out[PATH_MAX], link[64];
	ssize_t n;
	int ret;

	snprintf(src, sizeof(src), "%s/src", top);
	snprintf(one, sizeof(one), "%s/one", top);
	snprintf(out, sizeof(out), "%s/out", top);
	ret = tar_add(&a, src, "0", 1 << 20, &e);
	if (!ret)
		ret = tar_add(&a, one, "1", 1 << 20, &e);
	tar_end(&a);
	CHECK("a tree and a file: archived", !ret && a.len % TAR_BLOCK == 0,
	      "%d %s", ret, e.msg);
	ret = tar_add(&b, src, "0", 1 << 20, &e);
	if (!ret)
		ret = tar_add(&b, one, "1", 1 << 20, &e);
	tar_end(&b);
	CHECK("the same tree: the same bytes",
	      !ret && a.len == b.len && !memcmp(a.buf, b.buf, a.len), "%s",
	      e.msg);

	mkdir(out, 0700);
	ret = tar_unpack(a.buf, a.len, out, &e);
	CHECK("unpacked", !ret, "%d %s", ret, e.msg);
	CHECK("an executable stays executable, contents kept",
	      (mode_of("out/0/run.sh") & 07777) == 0755 &&
		      same_file("src/run.sh", "out/0/run.sh"),
	      "mode %o", mode_of("out/0/run.sh"));
	CHECK("modes kept: 0640 file, 0750 and 0700 directories",
	      (mode_of("out/0/etc/big.conf") & 07777) == 0640 &&
		      (mode_of("out/0") & 07777) == 0750 &&
		      S_ISDIR(mode_of("out/0/void")) &&
		      (mode_of("out/0/void") & 07777) == 0700,
	      "%o %o %o", mode_of("out/0/etc/big.conf"), mode_of("out/0"),
	      mode_of("out/0/void"));
	CHECK("a file across blocks, a binary one, an empty one",
	      same_file("src/etc/big.conf", "out/0/etc/big.conf") &&
		      same_file("src/etc/bin", "out/0/etc/bin") &&
		      same_file("src/etc/empty", "out/0/etc/empty"),
	      "differ");
	snprintf(out, sizeof(out), "%s/out/0/link", top);
	n = readlink(out, link, sizeof(link) - 1);
	if (n >= 0)
		link[n] = '\0';
	CHECK("a symbolic link stays one, its target unchanged",
	      n > 0 && !strcmp(link, "etc/big.conf"), "%zd", n);
	snprintf(out, sizeof(out), "out/0/%s", deep + 4);
	CHECK("a name past 100 bytes (ustar prefix field)",
	      strlen(deep) > 100 && same_file(deep, out), "%s", out);
	CHECK("a single file as the tree",
	      same_file("one", "out/1") && (mode_of("out/1") & 07777) == 0700,
	      "%o", mode_of("out/1"));
	{
		struct strbuf c = { 0 };
		char ln[PATH_MAX];

		/* the tree's own path may be a link (file = names a link) */
		snprintf(ln, sizeof(ln), "%s/one-link", top);
		ret = symlink("one", ln) ? -errno
					 : tar_add(&c, ln, "2", 1 << 20, &e);
		CHECK("a link to a file as the tree: the file",
		      !ret && c.len > TAR_BLOCK && c.buf[156] == '0', "%d %s",
		      ret, e.msg);
		sb_free(&c);
	}

	snprintf(out, sizeof(out), "%s/ours.tar", top);
	write_file(out, a.buf, a.len, 0600);
	CHECK("GNU tar reads it: same list, same contents",
	      run("tar -tf ours.tar | sort > list && "
		  "test \"$(sed -n 1p list)\" = 0/ && grep -qx 0/link list && "
		  "test $(wc -l < list) = $(( $(find src | wc -l) + 1 )) && "
		  "mkdir gnu && "
		  "tar -xf ours.tar -C gnu && cmp gnu/0/etc/bin src/etc/bin && "
		  "cmp gnu/1 one") == 0,
	      "tar -tf/-xf failed");
	sb_free(&a);
	sb_free(&b);
}

static int unpack_file(const char *tarname, const char *into, struct err *e)
{
	char path[PATH_MAX], *data = NULL;
	size_t len = 0;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", top, tarname);
	ret = read_all(path, 1 << 20, &data, &len);
	if (!ret) {
		snprintf(path, sizeof(path), "%s/%s", top, into);
		mkdir(path, 0700);
		ret = tar_unpack(data, len, path, e);
	}
	free(data);
	return ret;
}

static void gnu_archives(void)
{
	struct err e = { "" };
	int ret;

	ret = run("tar --format=ustar -cf gnu.tar src one")
		      ? -1
		      : unpack_file("gnu.tar", "fromgnu", &e);
	CHECK("what GNU tar writes (ustar) unpacks",
	      !ret && same_file("src/run.sh", "fromgnu/src/run.sh") &&
		      (mode_of("fromgnu/src/run.sh") & 07777) == 0755 &&
		      same_file(
			      deep,
			      "fromgnu/src/d1234567890/d1234567890/d1234567890/d1234567890/d1234567890/d1234567890/d1234567890/d1234567890/deep.conf"),
	      "%d %s", ret, e.msg);

	ret = run("tar --format=ustar -P --transform='s,^one,../evil,' -cf up.tar one")
		      ? -1
		      : unpack_file("up.tar", "up", &e);
	CHECK("a ../ name is refused, nothing written outside",
	      ret == -EINVAL && strstr(e.msg, "../evil") &&
		      access("/tmp/evil", F_OK) &&
		      mode_of("evil") == (mode_t)-1,
	      "%d %s", ret, e.msg);

	ret = run("tar --format=ustar -P --transform='s,^one,/tmp/umnet-unit-abs,' -cf abs.tar one")
		      ? -1
		      : unpack_file("abs.tar", "abs", &e);
	CHECK("an absolute name is refused",
	      ret == -EINVAL && access("/tmp/umnet-unit-abs", F_OK), "%d %s",
	      ret, e.msg);

	/* a link to outside, then a file "through" it */
	ret = run("mkdir outside m && echo x > m/pwn && ln -s ../outside l && "
		  "tar --format=ustar -cf through.tar l m --transform='s,^m,l,'")
		      ? -1
		      : unpack_file("through.tar", "through", &e);
	CHECK("no file is written through a link of the archive",
	      ret == -EEXIST && mode_of("outside/pwn") == (mode_t)-1, "%d %s",
	      ret, e.msg);

	ret = run("mkfifo src2 && tar --format=ustar -cf fifo.tar src2 && rm src2")
		      ? -1
		      : unpack_file("fifo.tar", "fifo", &e);
	CHECK("an entry type other than file, directory or link is refused",
	      ret == -EINVAL && strstr(e.msg, "src2: entry type '6'"), "%d %s",
	      ret, e.msg);
}

static void bad_input(void)
{
	struct strbuf a = { 0 };
	struct err e = { "" };
	char src[PATH_MAX], out[PATH_MAX];
	int ret;

	snprintf(src, sizeof(src), "%s/src", top);
	ret = tar_add(&a, src, "0", 2048, &e);
	CHECK("past max: -EFBIG naming the file",
	      ret == -EFBIG && strstr(e.msg, "past 2 KiB"), "%d %s", ret,
	      e.msg);
	sb_free(&a);

	snprintf(src, sizeof(src), "%s/one", top);
	tar_add(&a, src, "1", 1 << 20, &e);
	tar_end(&a);
	snprintf(out, sizeof(out), "%s/bad", top);
	mkdir(out, 0700);
	a.buf[130]++; /* the size field, under the checksum */
	ret = tar_unpack(a.buf, a.len, out, &e);
	CHECK("a damaged header is refused",
	      ret == -EINVAL && strstr(e.msg, "block 0: not a ustar header"),
	      "%d %s", ret, e.msg);
	a.buf[130]--;
	ret = tar_unpack(a.buf, TAR_BLOCK + 10, out, &e);
	CHECK("a cut archive is refused",
	      ret == -EINVAL && strstr(e.msg, "ends early"), "%d %s", ret,
	      e.msg);
	sb_free(&a);

	snprintf(src, sizeof(src), "%s/fifo0", top);
	mkfifo(src, 0600);
	ret = tar_add(&a, src, "f", 1 << 20, &e);
	CHECK("a fifo is refused on the way in",
	      ret == -EINVAL && strstr(e.msg, "not a file, a directory"),
	      "%d %s", ret, e.msg);
	sb_free(&a);
}

int main(void)
{
	if (!mkdtemp(top)) {
		perror("mkdtemp");
		return 1;
	}
	make_tree();
	round_trip();
	gnu_archives();
	bad_input();
	chmod(top, 0700);
	rm_rf(top);
	UNIT_DONE();
}
