/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small ext2 image writer for the config drive: the tree under a
 * directory (directories, regular files, symlinks; devices, FIFOs and
 * sockets are left out, which the staging copy never makes) becomes an
 * ext2 file system (revision 1, no optional features, 1 KiB blocks,
 * 128-byte inodes, lost+found) in a new
 * sparse file, without forking mke2fs and without syncing. Every entry
 * gets the caller's uid and gid and the time of writing.
 */
#ifndef UMNET_EXT2IMG_H
#define UMNET_EXT2IMG_H

/*
 * Write the tree under dir to the image file img (created or truncated,
 * mode 0644): 0, or -errno; -EFBIG for what the writer leaves to mke2fs
 * (a file over 64 MiB, a symlink target over 1 KiB, a tree over 8 GiB).
 */
int ext2img_write(const char *dir, const char *img);

#endif
