// SPDX-License-Identifier: GPL-2.0
/*
 * ext2img_write: images of trees with every shape the writer handles
 * (empty and sparse files, files needing indirect and double indirect
 * blocks, directories over many blocks, short and long symlinks, names of
 * 255 bytes, more than one block group) are clean for e2fsck -fn, and
 * debugfs's rdump of each gives back the tree. What it leaves to mke2fs
 * fails with -EFBIG.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ext2img.h"
#include "unit.h"

static char top[64];

static char *tp(const char *fmt, ...)
{
	static char buf[8][512];
	static int i;
	char *p = buf[i++ % 8], rel[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(p, 512, "%s/%s", top, rel);
	return p;
}

/* a file of len bytes, byte i = (i * 7 + seed) & 0xff; holes if sparse */
static int mkfile(const char *path, size_t len, int seed, int sparse)
{
	unsigned char buf[4096];
	size_t off, i, n;
	int fd, ok = 1;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	if (sparse) {
		ok = ftruncate(fd, len) == 0;
		close(fd);
		return ok ? 0 : -1;
	}
	for (off = 0; off < len && ok; off += n) {
		n = len - off < sizeof(buf) ? len - off : sizeof(buf);
		for (i = 0; i < n; i++)
			buf[i] = ((off + i) * 7 + seed) & 0xff;
		ok = write(fd, buf, n) == (ssize_t)n;
	}
	close(fd);
	return ok ? 0 : -1;
}

static int run(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int have_e2fsprogs(void)
{
	return run("command -v e2fsck >/dev/null && command -v debugfs >/dev/null") ==
	       0;
}

/* e2fsck -fn clean, and rdump gives back the tree src */
static void check_image(const char *what, const char *src, const char *img)
{
	char cmd[2048], name[200];

	snprintf(name, sizeof(name), "%s: e2fsck -fn finds nothing", what);
	snprintf(cmd, sizeof(cmd), "e2fsck -fn %s >%s.fsck 2>&1", img, img);
	CHECK_INT(name, run(cmd), 0);
	snprintf(name, sizeof(name), "%s: rdump gives back the tree", what);
	snprintf(
		cmd, sizeof(cmd),
		"rm -rf %s.out && mkdir %s.out && debugfs -R 'rdump / %s.out' %s >/dev/null 2>&1 && rm -rf %s.out/lost+found && diff -r --no-dereference %s %s.out >%s.diff 2>&1",
		img, img, img, img, img, src, img, img);
	CHECK_INT(name, run(cmd), 0);
}

int main(void)
{
	char name[300], target[1100];
	int i;

	snprintf(top, sizeof(top), "/tmp/umnet-ext2img-XXXXXX");
	if (!mkdtemp(top)) {
		perror("mkdtemp");
		return 1;
	}
	if (!have_e2fsprogs()) {
		printf("SKIP: e2fsck and debugfs (e2fsprogs) are needed\n");
		return 0;
	}

	/* the config drive's usual content: node.conf alone */
	mkdir(tp("a"), 0755);
	mkfile(tp("a/node.conf"), 87, 1, 0);
	CHECK_INT("node.conf alone: written",
		  ext2img_write(tp("a"), tp("a.img")), 0);
	check_image("node.conf alone", tp("a"), tp("a.img"));

	/* every shape */
	mkdir(tp("b"), 0755);
	mkdir(tp("b/files"), 0755);
	mkdir(tp("b/files/0"), 0750);
	mkdir(tp("b/files/0/sub"), 0755);
	mkdir(tp("b/files/0/sub/deeper"), 0700);
	mkfile(tp("b/node.conf"), 300, 2, 0);
	mkfile(tp("b/files/0/empty"), 0, 0, 0);
	mkfile(tp("b/files/0/direct"), 12 * 1024, 3, 0);
	mkfile(tp("b/files/0/indirect"), 13 * 1024 + 5, 4, 0);
	mkfile(tp("b/files/0/sub/double"), 700 * 1024 + 3, 5, 0);
	mkfile(tp("b/files/0/sub/deeper/sparse"), 100 * 1024, 0, 1);
	mkfile(tp("b/files/1"), 1, 6, 0);
	if (symlink("direct", tp("b/files/0/short")) < 0)
		perror("symlink");
	memset(target, 'x', 1000);
	memcpy(target, "../", 3);
	target[1000] = '\0';
	if (symlink(target, tp("b/files/0/long")) < 0)
		perror("symlink");
	memset(name, 'n', 255);
	name[255] = '\0';
	mkfile(tp("b/files/0/%s", name), 10, 7, 0);
	mkdir(tp("b/many"), 0755);
	for (i = 0; i < 300; i++)
		mkfile(tp("b/many/entry-with-a-longer-name-%03d", i), i, i, 0);
	CHECK_INT("every shape: written", ext2img_write(tp("b"), tp("b.img")),
		  0);
	check_image("every shape", tp("b"), tp("b.img"));

	/* more than one block group (8 MiB each) */
	mkdir(tp("c"), 0755);
	mkfile(tp("c/big"), 9 * 1024 * 1024 + 17, 8, 0);
	mkfile(tp("c/small"), 5, 9, 0);
	CHECK_INT("two block groups: written",
		  ext2img_write(tp("c"), tp("c.img")), 0);
	check_image("two block groups", tp("c"), tp("c.img"));

	/* left to mke2fs */
	mkdir(tp("d"), 0755);
	mkfile(tp("d/huge"), 65 * 1024 * 1024, 0, 1);
	CHECK_INT("a file over 64 MiB: -EFBIG",
		  ext2img_write(tp("d"), tp("d.img")), -EFBIG);
	mkdir(tp("e"), 0755);
	memset(target, 'y', 1099);
	target[1099] = '\0';
	if (symlink(target, tp("e/link")) < 0)
		perror("symlink");
	CHECK_INT("a symlink target over 1 KiB: -EFBIG",
		  ext2img_write(tp("e"), tp("e.img")), -EFBIG);
	/* 34 levels: files/N/ plus a [files] tree 32 deep is ours */
	{
		char deep[PATH_MAX];
		int i;

		snprintf(deep, sizeof(deep), "%s", tp("g"));
		mkdir(deep, 0755);
		for (i = 0; i < 34; i++) {
			strcat(deep, "/d");
			mkdir(deep, 0755);
		}
		CHECK_INT("34 levels deep: written",
			  ext2img_write(tp("g"), tp("g.img")), 0);
		check_image("34 levels deep", tp("g"), tp("g.img"));
		for (i = 0; i < 8; i++) {
			strcat(deep, "/d");
			mkdir(deep, 0755);
		}
		CHECK_INT("42 levels deep: -EFBIG (mke2fs's)",
			  ext2img_write(tp("g"), tp("h.img")), -EFBIG);
	}
	CHECK_INT("a missing tree: -ENOENT",
		  ext2img_write(tp("nothing"), tp("f.img")), -ENOENT);

	if (!unit_failed) {
		snprintf(name, sizeof(name), "rm -rf %s", top);
		run(name);
	} else {
		printf("    (images and e2fsck output left in %s)\n", top);
	}
	UNIT_DONE();
}
