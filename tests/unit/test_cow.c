// SPDX-License-Identifier: GPL-2.0
/*
 * cow_read/cow_check on COW headers crafted byte by byte the way UML (and
 * older UMLs) wrote them: see arch/um/drivers/cow_user.c.
 */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cow.h"
#include "unit.h"

#define T_MTIME 1700000000 /* 2023-11-14 22:13:20 UTC */
#define T_SIZE 1048576

static char dir[64];

static void put_be32(unsigned char *p, uint32_t v)
{
	v = htobe32(v);
	memcpy(p, &v, 4);
}

static void put_be64(unsigned char *p, uint64_t v)
{
	v = htobe64(v);
	memcpy(p, &v, 8);
}

static void put_ne32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put_ne64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static char *tpath(const char *name)
{
	static char buf[8][256];
	static int i;
	char *p = buf[i++ % 8];

	snprintf(p, 256, "%s/%s", dir, name);
	return p;
}

static int write_file(const char *name, const void *data, size_t len)
{
	int fd, ok;

	fd = open(tpath(name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	ok = write(fd, data, len) == (ssize_t)len;
	close(fd);
	return ok ? 0 : -1;
}

static int set_mtime(const char *path, time_t t)
{
	struct timespec ts[2] = { { .tv_sec = t }, { .tv_sec = t } };

	return utimensat(AT_FDCWD, path, ts, 0);
}

/* a backing file of T_SIZE bytes with mtime T_MTIME */
static int make_backing(const char *name)
{
	int fd, ret;

	fd = open(tpath(name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	ret = ftruncate(fd, T_SIZE);
	close(fd);
	if (ret)
		return -1;
	return set_mtime(tpath(name), T_MTIME);
}

/*
 * Where each version of the COW header (cow_user.c: cow_header_v1, v2, v3
 * and v3_b, the unpacked v3 of pre-2006 64-bit binaries) keeps its fields,
 * and in which byte order: v1 all in host order; v2 and v3 big-endian,
 * but a v3 written with a host-order magic has only its version after it.
 * v3_b stored htobe32(mtime) in a 64-bit host-order field.
 */
struct cow_layout {
	uint32_t version;
	bool ne_magic, ne; /* magic and version, the rest: host order */
	size_t backing, backing_len, mtime, size, sectorsize;
	size_t align; /* 0: none (v1, v2) */
	uint32_t align_value;
	size_t len; /* v3: header, then the bitmap at the next 4096 */
	bool mtime_be32_in_ne64;
};

/* clang-format off */
static const struct cow_layout
	/*       version ne_magic ne   backing len  mtime size  sector align value len   v3_b */
	v3   = { 3,      false,   false, 32,    4096, 8,    12,   20,    24,   4096, 8192, false },
	v3_b = { 3,      false,   false, 36,    4096, 8,    16,   24,    28,   512,  4136, true },
	v2   = { 2,      false,   false, 8,     4096, 4104, 4108, 4116,  0,    0,    4120, false },
	v1   = { 1,      true,    true,  8,     256,  264,  268,  276,   0,    0,    280,  false };
/* clang-format on */

static void put32(unsigned char *p, uint32_t v, bool ne)
{
	if (ne)
		put_ne32(p, v);
	else
		put_be32(p, v);
}

/* a header of layout l naming backing, as UML writes it; its length */
static size_t make_cow(unsigned char *b, const struct cow_layout *l,
		       const char *backing)
{
	memset(b, 0, 8192);
	put32(b + 0, COW_MAGIC, l->ne_magic);
	put32(b + 4, l->version, l->ne_magic);
	snprintf((char *)b + l->backing, l->backing_len, "%s", backing);
	if (l->mtime_be32_in_ne64)
		put_ne64(b + l->mtime, htobe32(T_MTIME));
	else
		put32(b + l->mtime, T_MTIME, l->ne);
	if (l->ne)
		put_ne64(b + l->size, T_SIZE);
	else
		put_be64(b + l->size, T_SIZE);
	put32(b + l->sectorsize, 512, l->ne);
	if (l->align)
		put32(b + l->align, l->align_value, l->ne);
	return l->len;
}

/* v3 as write_cow_header() writes it, or with the magic in host order */
static size_t make_v3(unsigned char *b, const char *backing, int be_magic)
{
	struct cow_layout l = v3;

	l.ne_magic = !be_magic;
	return make_cow(b, &l, backing);
}

static void check_info(const char *what, const struct cow_info *ci,
		       uint32_t version, const char *backing, uint32_t align)
{
	char name[128];

	snprintf(name, sizeof(name), "%s: version", what);
	CHECK_INT(name, ci->version, version);
	snprintf(name, sizeof(name), "%s: backing file", what);
	CHECK_STR(name, ci->backing, backing);
	snprintf(name, sizeof(name), "%s: mtime", what);
	CHECK_INT(name, ci->mtime, T_MTIME);
	snprintf(name, sizeof(name), "%s: size", what);
	CHECK_INT(name, ci->size, T_SIZE);
	snprintf(name, sizeof(name), "%s: sectorsize", what);
	CHECK_INT(name, ci->sectorsize, 512);
	snprintf(name, sizeof(name), "%s: alignment", what);
	CHECK_INT(name, ci->alignment, align);
	snprintf(name, sizeof(name), "%s: cow_format", what);
	CHECK_INT(name, ci->cow_format, 0);
}

/* cow_check of file against ci: -ESTALE, with why = want */
static void check_stale(const char *what, const struct cow_info *ci,
			const char *file, const char *want)
{
	char name[128], why[512];

	snprintf(name, sizeof(name), "check: %s: -ESTALE", what);
	CHECK_INT(name, cow_check(ci, tpath(file), why, sizeof(why)), -ESTALE);
	snprintf(name, sizeof(name), "check: %s: reason", what);
	CHECK_STR(name, why, want);
}

/* remove every file the test made, then the directory */
static void cleanup_dir(void)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlink(tpath(de->d_name));
	if (d)
		closedir(d);
	rmdir(dir);
}

int main(void)
{
	static unsigned char b[8192];
	struct cow_info ci;
	char base[256], why[512], want[512];
	size_t n;
	int ret;

	/* cow_check formats local times: make them predictable */
	setenv("TZ", "UTC", 1);
	tzset();

	snprintf(dir, sizeof(dir), "/tmp/umnet-cow-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	/* the header holds an absolute, canonical path as absolutize() did */
	if (!realpath(dir, base)) {
		perror("realpath");
		return 1;
	}
	strncat(base, "/base.img", sizeof(base) - strlen(base) - 1);
	CHECK_INT("make backing file", make_backing("base.img"), 0);

	/* cow_read: every version and byte order */
	n = make_v3(b, base, 1);
	write_file("v3.cow", b, n);
	ret = cow_read(tpath("v3.cow"), &ci);
	CHECK_INT("v3 big-endian: cow_read", ret, 0);
	check_info("v3 big-endian", &ci, 3, base, 4096);

	n = make_v3(b, base, 0);
	write_file("v3ne.cow", b, n);
	ret = cow_read(tpath("v3ne.cow"), &ci);
	CHECK_INT("v3 host-order magic: cow_read", ret, 0);
	check_info("v3 host-order magic", &ci, 3, base, 4096);

	n = make_v3(b, base, 1);
	write_file("v3.cow", b, 4128); /* exactly the header, no bitmap */
	CHECK_INT("v3 header alone: cow_read", cow_read(tpath("v3.cow"), &ci),
		  0);

	n = make_cow(b, &v3_b, base);
	write_file("v3b.cow", b, n);
	ret = cow_read(tpath("v3b.cow"), &ci);
	CHECK_INT("v3 broken 64-bit layout: cow_read", ret, 0);
	check_info("v3 broken 64-bit layout", &ci, 3, base, 512);

	n = make_cow(b, &v2, base);
	write_file("v2.cow", b, n);
	ret = cow_read(tpath("v2.cow"), &ci);
	CHECK_INT("v2: cow_read", ret, 0);
	check_info("v2", &ci, 2, base, 0);

	n = make_cow(b, &v1, base);
	write_file("v1.cow", b, n);
	ret = cow_read(tpath("v1.cow"), &ci);
	CHECK_INT("v1: cow_read", ret, 0);
	check_info("v1", &ci, 1, base, 0);

	/* not COW files */
	n = make_v3(b, base, 1);
	b[0] ^= 0xff;
	write_file("bad.cow", b, n);
	CHECK_INT("bad magic: -EINVAL", cow_read(tpath("bad.cow"), &ci),
		  -EINVAL);
	CHECK_INT("bad magic: info cleared", ci.version, 0);

	n = make_v3(b, base, 1);
	write_file("trunc.cow", b, 4127);
	CHECK_INT("v3 truncated header: -EINVAL",
		  cow_read(tpath("trunc.cow"), &ci), -EINVAL);
	write_file("trunc.cow", b, 100);
	CHECK_INT("v3 cut at 100 bytes: -EINVAL",
		  cow_read(tpath("trunc.cow"), &ci), -EINVAL);
	n = make_cow(b, &v2, base);
	write_file("trunc.cow", b, n - 1);
	CHECK_INT("v2 truncated header: -EINVAL",
		  cow_read(tpath("trunc.cow"), &ci), -EINVAL);
	n = make_cow(b, &v1, base);
	write_file("trunc.cow", b, n - 1);
	CHECK_INT("v1 truncated header: -EINVAL",
		  cow_read(tpath("trunc.cow"), &ci), -EINVAL);
	write_file("tiny.cow", b, 7);
	CHECK_INT("7-byte file: -EINVAL", cow_read(tpath("tiny.cow"), &ci),
		  -EINVAL);
	write_file("empty.cow", b, 0);
	CHECK_INT("empty file: -EINVAL", cow_read(tpath("empty.cow"), &ci),
		  -EINVAL);

	n = make_v3(b, base, 1);
	put_be32(b + 4, 7);
	write_file("ver7.cow", b, n);
	CHECK_INT("unknown version: -EINVAL", cow_read(tpath("ver7.cow"), &ci),
		  -EINVAL);
	n = make_v3(b, base, 1);
	put_be32(b + 24, 0);
	write_file("align0.cow", b, n);
	CHECK_INT("v3 alignment 0: -EINVAL", cow_read(tpath("align0.cow"), &ci),
		  -EINVAL);
	CHECK_INT("missing COW file: -ENOENT",
		  cow_read(tpath("missing.cow"), &ci), -ENOENT);

	/* cow_check */
	n = make_v3(b, base, 1);
	write_file("v3.cow", b, n);
	cow_read(tpath("v3.cow"), &ci);
	why[0] = 'x';
	why[1] = '\0';
	CHECK_INT("check: unchanged backing file",
		  cow_check(&ci, tpath("base.img"), why, sizeof(why)), 0);
	CHECK_STR("check: no reason when it matches", why, "");

	ret = symlink("base.img", tpath("link.img"));
	if (!ret)
		ret = cow_check(&ci, tpath("link.img"), why, sizeof(why));
	CHECK_INT("check: via a symlink to the backing file", ret, 0);
	if (chdir(dir) == 0) {
		CHECK_INT("check: relative backing path",
			  cow_check(&ci, "base.img", why, sizeof(why)), 0);
		if (chdir("/"))
			perror("chdir");
	}
	CHECK_INT("check: why may be NULL",
		  cow_check(&ci, tpath("base.img"), NULL, 0), 0);

	CHECK_INT("make mtime change",
		  set_mtime(tpath("base.img"), T_MTIME + 3723), 0);
	snprintf(want, sizeof(want),
		 "backing file %s changed: mtime 2023-11-14 22:13:20 in the "
		 "COW header, 2023-11-14 23:15:23 now",
		 base);
	check_stale("changed mtime", &ci, "base.img", want);

	CHECK_INT("make size change", truncate(tpath("base.img"), T_SIZE * 2),
		  0);
	set_mtime(tpath("base.img"), T_MTIME);
	snprintf(want, sizeof(want),
		 "backing file %s changed: size 1048576 in the COW header, "
		 "2097152 now",
		 base);
	check_stale("changed size", &ci, "base.img", want);

	set_mtime(tpath("base.img"), T_MTIME + 1);
	snprintf(want, sizeof(want),
		 "backing file %s changed: size 1048576 in the COW header, "
		 "2097152 now; mtime 2023-11-14 22:13:20 in the COW header, "
		 "2023-11-14 22:13:21 now",
		 base);
	check_stale("changed size and mtime", &ci, "base.img", want);
	CHECK_INT("check: small reason buffer still -ESTALE",
		  cow_check(&ci, tpath("base.img"), why, 10), -ESTALE);
	CHECK_INT("check: small reason buffer is truncated", strlen(why), 9);

	/* same size and mtime, but another file */
	make_backing("base.img");
	make_backing("other.img");
	snprintf(want, sizeof(want),
		 "backing file mismatch: the COW header names %s, "
		 "not %.*s/other.img",
		 base, (int)(strlen(base) - strlen("/base.img")), base);
	check_stale("different path", &ci, "other.img", want);

	unlink(tpath("base.img"));
	why[0] = '\0';
	CHECK_INT("check: missing backing file: -ENOENT",
		  cow_check(&ci, tpath("base.img"), why, sizeof(why)), -ENOENT);
	CHECK_INT("check: header's backing file gone, other given: -ESTALE",
		  cow_check(&ci, tpath("other.img"), why, sizeof(why)),
		  -ESTALE);

	/* cow_create: what UML's init_cow_file() would write */
	{
		struct stat st;
		char cow[300];

		make_backing("base.img");
		snprintf(cow, sizeof(cow), "%s", tpath("new.cow"));
		CHECK_INT("create: ok",
			  cow_create(cow, tpath("base.img"), 0600), 0);
		CHECK_INT("create: reads back", cow_read(cow, &ci), 0);
		check_info("create", &ci, 3, base, 4096);
		CHECK_INT("create: matches its backing file",
			  cow_check(&ci, tpath("base.img"), why, sizeof(why)),
			  0);
		/* header 4128 -> bitmap at 4096*2; 2048 sectors -> 256 bytes;
		 * data aligned to 4096: 12288; file ends after the data */
		CHECK_INT("create: stat", stat(cow, &st), 0);
		CHECK_INT("create: size is data offset + backing size",
			  st.st_size, 12288 + T_SIZE);
		CHECK_INT("create: mode", st.st_mode & 0777, 0600);
		CHECK_INT("create: an existing file is not overwritten",
			  cow_create(cow, tpath("base.img"), 0600), -EEXIST);
		CHECK_INT("create: a missing backing file",
			  cow_create(tpath("x.cow"), tpath("none.img"), 0600),
			  -ENOENT);
		CHECK_INT("create: nothing left on failure",
			  access(tpath("x.cow"), F_OK), -1);
	}

	cleanup_dir();
	CHECK_INT("temp dir removed", access(dir, F_OK) == 0, 0);
	UNIT_DONE();
}
