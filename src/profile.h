/* SPDX-License-Identifier: GPL-2.0 */
/* Appliance profiles: parse a file into struct profile, print it back. */
#ifndef UMNET_PROFILE_H
#define UMNET_PROFILE_H

#include "model.h"
#include "util.h"

/*
 * Parse and validate the profile at path. Returns 0, or -errno with e set to
 * "path:line: what is wrong (what to do)". Relative paths in the profile are
 * resolved against the profile's directory.
 */
int profile_parse(const char *path, struct profile *p, struct err *e);
/* the same from a string (path is used for messages and relative paths) */
int profile_parse_string(const char *path, const char *text, struct profile *p,
			 struct err *e);
/*
 * Parse more profile text into p, which was parsed already (e.g. a lab's
 * overrides of a node's base profile), then validate the whole profile
 * again. Messages name p->path and line linemap[i] for the i-th line of
 * text (i + 1 without a map); relative paths are resolved against p->dir.
 */
int profile_parse_overlay(struct profile *p, const char *text,
			  const int *linemap, int nmap, struct err *e);
/* the canonical text form; parsing it again gives the same profile */
void profile_print(const struct profile *p, struct strbuf *sb);
bool node_name_valid(const char *name);
bool netns_name_valid(const char *name);

#endif
