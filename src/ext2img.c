// SPDX-License-Identifier: GPL-2.0
/*
 * The config drive's ext2 writer (ext2img.h). Two passes: the tree is read
 * into a list of entries and each entry's blocks are counted, which gives
 * the number of block groups; then blocks are handed out in order (past
 * each group's superblock copy, descriptors, bitmaps and inode table) and
 * everything is written with pwrite into a sparse file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ext2img.h"

#define BS 1024u /* block size */
#define BPG (BS * 8) /* blocks per group: one bitmap block */
#define ISZ 128u /* inode size */
#define IPB (BS / ISZ) /* inodes per block */
#define PPB (BS / 4) /* block numbers per pointer block */
#define NDIR 12u /* direct block numbers in an inode */
#define MAX_DATA (NDIR + PPB + PPB * PPB) /* up to double indirect */
#define MAX_GROUPS 1024u /* 8 GiB */
/* the config drive's tree: files/N/ plus a [files] tree (drive.c) */
#define MAX_DEPTH 40
/* ext2's links count of a directory (EXT2_LINK_MAX) */
#define MAX_SUBDIRS 31998
#define ROOT_INO 2u
#define FIRST_INO 11u /* lost+found; the tree's entries follow */
#define FAST_LINK 60u /* shorter symlink targets sit in the inode */

struct ent {
	char *path; /* in the tree; NULL for lost+found */
	char name[256];
	int parent, child, last, next; /* indexes; -1: none */
	mode_t mode;
	uint64_t size;
	uint32_t ino, data, meta; /* data blocks, pointer blocks */
	uint32_t nsub; /* subdirectories */
	uint32_t iblock[15];
};

struct img {
	struct ent *e;
	size_t n, cap;
	int fd;
	uint32_t groups, ipg, itb, gdtb, meta, next;
	uint8_t *bbm, *ibm, *itab, *gdt;
	uint32_t dirs[MAX_GROUPS];
	uint32_t now;
	uid_t uid;
	gid_t gid;
};

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static uint32_t ceil_div(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

static int add(struct img *m, const char *path, const char *name, int parent,
	       mode_t mode, uint64_t size)
{
	struct ent *e;

	if (strlen(name) > 255)
		return -ENAMETOOLONG;
	/* more subdirectories than ext2 counts: mke2fs's to refuse */
	if (S_ISDIR(mode) && parent >= 0 && (size_t)parent != m->n &&
	    m->e[parent].nsub >= MAX_SUBDIRS)
		return -EFBIG;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;

		e = realloc(m->e, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		m->e = e;
		m->cap = cap;
	}
	e = &m->e[m->n];
	memset(e, 0, sizeof(*e));
	if (path && !(e->path = strdup(path)))
		return -ENOMEM;
	strcpy(e->name, name);
	e->parent = parent;
	e->child = e->last = e->next = -1;
	e->mode = mode;
	e->size = size;
	e->ino = m->n == 0 ? ROOT_INO : FIRST_INO + m->n - 1;
	if (parent >= 0 && (size_t)parent != m->n) {
		struct ent *p = &m->e[parent];

		if (p->last >= 0)
			m->e[p->last].next = m->n;
		else
			p->child = m->n;
		p->last = m->n;
		if (S_ISDIR(mode))
			p->nsub++;
	}
	m->n++;
	return 0;
}

/* the entries under the directory at index self */
static int walk(struct img *m, int self, int depth)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	int ret = 0;
	DIR *d;

	if (depth > MAX_DEPTH)
		return -EFBIG; /* deeper than ours: mke2fs's */
	d = opendir(m->e[self].path);
	if (!d)
		return -errno;
	while (!ret && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", m->e[self].path,
			     de->d_name) >= (int)sizeof(path)) {
			ret = -ENAMETOOLONG;
			break;
		}
		if (lstat(path, &st) < 0) {
			ret = -errno;
			break;
		}
		if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode) &&
		    !S_ISLNK(st.st_mode))
			continue; /* devices, fifos, sockets: left out */
		ret = add(m, path, de->d_name, self, st.st_mode, st.st_size);
		if (!ret && S_ISDIR(st.st_mode))
			ret = walk(m, m->n - 1, depth + 1);
	}
	closedir(d);
	return ret;
}

static uint32_t rec_len(const char *name)
{
	return (8 + strlen(name) + 3) & ~3u;
}

/*
 * Lay out (buf NULL: only count) the directory at index i: ".", "..",
 * then its entries in list order, none across a block; the last entry
 * of each block reaches its end. Returns the number of blocks.
 */
static uint32_t dir_blocks(const struct img *m, int i, uint8_t *buf)
{
	uint32_t off = 0, blocks = 1, last = 0, len;
	const struct ent *e = &m->e[i];
	int step, c = e->child;

	for (step = 0;; step++) {
		const char *name;
		uint32_t ino;

		if (step == 0) {
			name = ".";
			ino = e->ino;
		} else if (step == 1) {
			name = "..";
			ino = m->e[e->parent].ino;
		} else if (c >= 0) {
			name = m->e[c].name;
			ino = m->e[c].ino;
			c = m->e[c].next;
		} else {
			break;
		}
		len = rec_len(name);
		if (off + len > BS) {
			if (buf)
				put16(buf + last + 4, blocks * BS - last);
			blocks++;
			off = 0;
		}
		if (buf) {
			uint8_t *p = buf + (blocks - 1) * BS + off;

			put32(p, ino);
			put16(p + 4, len);
			p[6] = strlen(name);
			p[7] = 0;
			memcpy(p + 8, name, strlen(name));
		}
		last = (blocks - 1) * BS + off;
		off += len;
	}
	if (buf)
		put16(buf + last + 4, blocks * BS - last);
	return blocks;
}

static int count_blocks(struct img *m, size_t i)
{
	struct ent *e = &m->e[i];
	uint32_t d;

	if (S_ISDIR(e->mode)) {
		d = dir_blocks(m, i, NULL);
		e->size = (uint64_t)d * BS;
	} else if (S_ISLNK(e->mode)) {
		if (e->size > BS - 1)
			return -EFBIG;
		d = e->size < FAST_LINK ? 0 : 1;
	} else {
		if (e->size > (uint64_t)MAX_DATA * BS)
			return -EFBIG;
		d = ceil_div(e->size, BS);
	}
	if (d > MAX_DATA)
		return -EFBIG; /* a directory of over 2 million entries */
	e->data = d;
	e->meta = 0;
	if (d > NDIR)
		e->meta++;
	if (d > NDIR + PPB)
		e->meta += 1 + ceil_div(d - NDIR - PPB, PPB);
	return 0;
}

/* groups, inodes per group and the metadata blocks of each group */
static int plan(struct img *m)
{
	uint64_t need = 0;
	uint32_t g;
	size_t i;

	for (i = 0; i < m->n; i++)
		need += m->e[i].data + m->e[i].meta;
	for (g = 1; g <= MAX_GROUPS; g++) {
		uint32_t ipg = ceil_div(m->n + FIRST_INO, g);

		if (ipg < 16)
			ipg = 16;
		ipg = ceil_div(ipg, IPB) * IPB;
		if (ipg > BPG)
			continue;
		m->groups = g;
		m->ipg = ipg;
		m->itb = ipg / IPB;
		m->gdtb = ceil_div(g * 32, BS);
		m->meta = 1 + m->gdtb + 2 + m->itb;
		if (m->meta < BPG && (uint64_t)g * (BPG - m->meta) >= need)
			return 0;
	}
	return -EFBIG;
}

static uint32_t gstart(uint32_t g)
{
	return 1 + g * BPG;
}

/* inode ino in use in its group's bitmap */
static void ibm_set(struct img *m, uint32_t ino)
{
	uint32_t g = (ino - 1) / m->ipg, i = (ino - 1) % m->ipg;

	m->ibm[(uint64_t)g * BS + i / 8] |= 1 << (i % 8);
}

static uint32_t alloc_block(struct img *m)
{
	uint32_t rel = (m->next - 1) % BPG, b;

	if (rel < m->meta)
		m->next += m->meta - rel;
	b = m->next++;
	m->bbm[(b - 1) / 8] |= 1 << ((b - 1) % 8);
	return b;
}

static int write_at(int fd, const void *buf, size_t len, uint64_t off)
{
	ssize_t n = pwrite(fd, buf, len, off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/* the pointer blocks of e, its data blocks being blocks[0..e->data) */
static int write_pointers(struct img *m, struct ent *e, const uint32_t *blocks)
{
	uint8_t buf[BS], top[BS];
	uint32_t i, k, ind;
	int ret;

	for (i = 0; i < e->data && i < NDIR; i++)
		e->iblock[i] = blocks[i];
	if (e->data <= NDIR)
		return 0;
	memset(buf, 0, BS);
	for (i = NDIR; i < e->data && i < NDIR + PPB; i++)
		put32(buf + 4 * (i - NDIR), blocks[i]);
	e->iblock[12] = alloc_block(m);
	ret = write_at(m->fd, buf, BS, (uint64_t)e->iblock[12] * BS);
	if (ret || e->data <= NDIR + PPB)
		return ret;
	memset(top, 0, BS);
	e->iblock[13] = alloc_block(m);
	for (k = 0; NDIR + PPB + k * PPB < e->data; k++) {
		memset(buf, 0, BS);
		for (i = 0; i < PPB && NDIR + PPB + k * PPB + i < e->data; i++)
			put32(buf + 4 * i, blocks[NDIR + PPB + k * PPB + i]);
		ind = alloc_block(m);
		put32(top + 4 * k, ind);
		ret = write_at(m->fd, buf, BS, (uint64_t)ind * BS);
		if (ret)
			return ret;
	}
	return write_at(m->fd, top, BS, (uint64_t)e->iblock[13] * BS);
}

/* e's data blocks: allocated in order, filled from its source or buf */
static int write_data(struct img *m, size_t i)
{
	struct ent *e = &m->e[i];
	uint8_t *dir = NULL, blk[BS];
	uint32_t *blocks = NULL, b;
	int fd = -1, ret = 0;
	ssize_t n;

	if (!e->data)
		return 0;
	blocks = malloc(e->data * sizeof(*blocks));
	if (!blocks)
		return -ENOMEM;
	for (b = 0; b < e->data; b++)
		blocks[b] = alloc_block(m);
	if (S_ISDIR(e->mode)) {
		dir = calloc(e->data, BS);
		if (!dir) {
			ret = -ENOMEM;
			goto cleanup;
		}
		dir_blocks(m, i, dir);
		for (b = 0; b < e->data && !ret; b++)
			ret = write_at(m->fd, dir + b * BS, BS,
				       (uint64_t)blocks[b] * BS);
	} else if (S_ISLNK(e->mode)) {
		memset(blk, 0, BS);
		n = readlink(e->path, (char *)blk, BS - 1);
		if (n < 0)
			ret = -errno;
		else if ((uint64_t)n != e->size)
			ret = -EAGAIN; /* changed under us */
		else
			ret = write_at(m->fd, blk, BS,
				       (uint64_t)blocks[0] * BS);
	} else {
		fd = open(e->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ret = -errno;
			goto cleanup;
		}
		for (b = 0; b < e->data && !ret; b++) {
			n = pread(fd, blk, BS, (off_t)b * BS);
			if (n < 0)
				ret = -errno;
			else if (n == 0)
				ret = -EAGAIN; /* shorter than its size */
			else
				ret = write_at(m->fd, blk, n,
					       (uint64_t)blocks[b] * BS);
		}
	}
	if (!ret)
		ret = write_pointers(m, e, blocks);
cleanup:
	if (fd >= 0)
		close(fd);
	free(dir);
	free(blocks);
	return ret;
}

static int write_inode(struct img *m, size_t i)
{
	struct ent *e = &m->e[i];
	uint8_t *p = m->itab + (uint64_t)(e->ino - 1) * ISZ;
	uint32_t k;

	put16(p, e->mode);
	put16(p + 2, m->uid & 0xffff);
	put32(p + 4, e->size);
	put32(p + 8, m->now);
	put32(p + 12, m->now);
	put32(p + 16, m->now);
	put16(p + 24, m->gid & 0xffff);
	put16(p + 26, S_ISDIR(e->mode) ? 2 + e->nsub : 1);
	put32(p + 28, (e->data + e->meta) * (BS / 512));
	if (S_ISLNK(e->mode) && e->size < FAST_LINK) {
		ssize_t n = readlink(e->path, (char *)p + 40, FAST_LINK - 1);

		if (n < 0)
			return -errno;
		if ((uint64_t)n != e->size)
			return -EAGAIN;
	} else {
		for (k = 0; k < 15; k++)
			put32(p + 40 + 4 * k, e->iblock[k]);
	}
	put16(p + 120, m->uid >> 16);
	put16(p + 122, m->gid >> 16);
	ibm_set(m, e->ino);
	if (S_ISDIR(e->mode))
		m->dirs[(e->ino - 1) / m->ipg]++;
	return 0;
}

static uint32_t zero_bits(const uint8_t *map, uint32_t bits)
{
	uint32_t n = 0, i;

	for (i = 0; i < bits; i++)
		n += !(map[i / 8] & (1 << (i % 8)));
	return n;
}

/* bitmaps, inode tables, descriptors and the superblock copies */
static int write_meta(struct img *m)
{
	uint32_t g, i, fb = 0, fi = 0;
	uint8_t sb[BS], uuid[16] = { 0 };
	int ret = 0;

	if (getrandom(uuid, sizeof(uuid), GRND_NONBLOCK) < 0)
		memcpy(uuid, &m->now, sizeof(m->now));
	for (g = 0; g < m->groups; g++) {
		uint8_t *bb = m->bbm + (uint64_t)g * BS;
		uint8_t *ib = m->ibm + (uint64_t)g * BS;
		uint8_t *d = m->gdt + 32 * g;
		uint32_t s = gstart(g), bfree, ifree;

		for (i = 0; i < m->meta; i++)
			bb[i / 8] |= 1 << (i % 8);
		for (i = m->ipg; i < BS * 8; i++) /* padding: in use */
			ib[i / 8] |= 1 << (i % 8);
		bfree = zero_bits(bb, BPG);
		ifree = zero_bits(ib, m->ipg);
		fb += bfree;
		fi += ifree;
		put32(d, s + 1 + m->gdtb);
		put32(d + 4, s + 2 + m->gdtb);
		put32(d + 8, s + 3 + m->gdtb);
		put16(d + 12, bfree);
		put16(d + 14, ifree);
		put16(d + 16, m->dirs[g]);
		if ((ret = write_at(m->fd, bb, BS,
				    (uint64_t)(s + 1 + m->gdtb) * BS)) ||
		    (ret = write_at(m->fd, ib, BS,
				    (uint64_t)(s + 2 + m->gdtb) * BS)) ||
		    (ret = write_at(m->fd, m->itab + (uint64_t)g * m->ipg * ISZ,
				    m->ipg * ISZ,
				    (uint64_t)(s + 3 + m->gdtb) * BS)))
			return ret;
	}
	memset(sb, 0, BS);
	put32(sb, m->groups * m->ipg);
	put32(sb + 4, 1 + m->groups * BPG);
	put32(sb + 12, fb);
	put32(sb + 16, fi);
	put32(sb + 20, 1); /* first data block */
	put32(sb + 32, BPG);
	put32(sb + 36, BPG);
	put32(sb + 40, m->ipg);
	put32(sb + 48, m->now); /* written */
	put16(sb + 54, 0xffff); /* no mount count check */
	put16(sb + 56, 0xef53);
	put16(sb + 58, 1); /* clean */
	put16(sb + 60, 1); /* errors: continue */
	put32(sb + 64, m->now); /* last checked */
	put32(sb + 76, 1); /* dynamic revision */
	put32(sb + 84, FIRST_INO);
	put16(sb + 88, ISZ);
	memcpy(sb + 104, uuid, sizeof(uuid));
	memcpy(sb + 120, "umnet-config", 12);
	put32(sb + 264, m->now); /* made */
	for (g = 0; g < m->groups && !ret; g++) {
		put16(sb + 90, g);
		ret = write_at(m->fd, sb, BS, (uint64_t)gstart(g) * BS);
		if (!ret)
			ret = write_at(m->fd, m->gdt, 32 * m->groups,
				       (uint64_t)(gstart(g) + 1) * BS);
	}
	return ret;
}

int ext2img_write(const char *dir, const char *img)
{
	struct img *m;
	struct stat st;
	size_t i;
	int ret;

	if (stat(dir, &st) < 0)
		return -errno;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->fd = -1;
	m->now = time(NULL);
	m->uid = geteuid();
	m->gid = getegid();
	if ((ret = add(m, dir, "", 0, S_IFDIR | (st.st_mode & 07777), 0)) ||
	    (ret = add(m, NULL, "lost+found", 0, S_IFDIR | 0700, 0)) ||
	    (ret = walk(m, 0, 0)))
		goto cleanup;
	for (i = 0; i < m->n && !ret; i++)
		ret = count_blocks(m, i);
	if (ret || (ret = plan(m)))
		goto cleanup;
	m->bbm = calloc(m->groups, BS);
	m->ibm = calloc(m->groups, BS);
	m->itab = calloc((size_t)m->groups * m->ipg, ISZ);
	m->gdt = calloc(m->gdtb, BS);
	if (!m->bbm || !m->ibm || !m->itab || !m->gdt) {
		ret = -ENOMEM;
		goto cleanup;
	}
	/* inodes 1-10 are reserved, in use */
	for (i = 1; i < FIRST_INO; i++)
		ibm_set(m, i);
	m->next = 1 + m->meta;
	m->fd = open(img, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (m->fd < 0 ||
	    ftruncate(m->fd, (off_t)(1 + m->groups * BPG) * BS) < 0) {
		ret = -errno;
		goto cleanup;
	}
	for (i = 0; i < m->n && !ret; i++)
		ret = write_data(m, i);
	for (i = 0; i < m->n && !ret; i++)
		ret = write_inode(m, i);
	if (!ret)
		ret = write_meta(m);
cleanup:
	if (m->fd >= 0 && close(m->fd) < 0 && !ret)
		ret = -errno;
	for (i = 0; i < m->n; i++)
		free(m->e[i].path);
	free(m->e);
	free(m->bbm);
	free(m->ibm);
	free(m->itab);
	free(m->gdt);
	free(m);
	return ret;
}
