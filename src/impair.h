/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Link impairment (docs/impairment.md): the keys delay, jitter, loss,
 * corrupt, duplicate, reorder and rate of a lab [link] and of a profile's
 * [interface vecN], their units, and the tc commands that apply them inside
 * a node (netem as the root qdisc, tbf under it for a rate: both built into
 * the node's kernel, nothing is needed from the host's).
 *
 * Units, as containerlab's `tools netem` takes them:
 *   duration  20ms, 500us, 1.5ms, 1s            (0 .. 60s)
 *   percent   1%, 0.5%, or 0.5 (= 0.5%)           (0 .. 100, 3 decimals)
 *   rate      10mbit, 500kbit, 1gbit, 64000bit    (1kbit .. 100gbit)
 */
#ifndef UMNET_IMPAIR_H
#define UMNET_IMPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum impair_key {
	IMP_DELAY,
	IMP_JITTER,
	IMP_LOSS,
	IMP_CORRUPT,
	IMP_DUPLICATE,
	IMP_REORDER,
	IMP_RATE,
	IMP_NKEYS,
};

struct impair {
	uint32_t delay_us, jitter_us;
	/* loss, corrupt, duplicate, reorder: thousandths of a percent */
	uint32_t pct[4];
	uint64_t rate_bps; /* bits per second */
	unsigned int set; /* 1u << enum impair_key for each key given */
};

#define IMPAIR_MAX_US 60000000u
#define IMPAIR_PCT_ONE 1000u /* 1% */
#define IMPAIR_CMD_MAX 256

extern const char *const impair_keys[IMP_NKEYS];

/* the index of key k, or -1 when it is no impairment key */
int impair_key(const char *k);

/*
 * The parsers: 0, or -EINVAL (malformed, no or unknown unit) or -ERANGE.
 * A duration without unit is an error (is "20" ms or s?); a percent
 * without '%' is a percent all the same.
 */
int parse_duration_us(const char *s, uint32_t *us);
int parse_percent(const char *s, uint32_t *milli_pct);
int parse_rate(const char *s, uint64_t *bps);

/* canonical forms: "25ms", "250us", "0.5%", "20mbit" */
void fmt_duration(uint32_t us, char *out, size_t len);
void fmt_percent(uint32_t milli_pct, char *out, size_t len);
void fmt_rate(uint64_t bps, char *out, size_t len);

/*
 * Set key k (an impairment key) to value v. Returns 0, or -EINVAL with msg
 * = "delay = 20: needs a unit (20ms, 500us, 1s)".
 */
int impair_set(struct impair *im, const char *k, const char *v, char *msg,
	       size_t len);
/* the combination is valid (jitter and reorder need a delay); as above */
int impair_check(const struct impair *im, char *msg, size_t len);
static inline bool impair_any(const struct impair *im)
{
	return im->set != 0;
}
/* the value of key k in canonical form ("" when not set) */
void impair_value(const struct impair *im, enum impair_key k, char *out,
		  size_t len);
/* "delay 25ms jitter 2ms loss 1% rate 20mbit" ("" when nothing is set) */
void impair_summary(const struct impair *im, char *out, size_t len);

/*
 * The tc commands that install im on interface dev, whose root qdisc is
 * the default one: netem as root (handle 1:) for the netem keys, tbf for
 * a rate (root, or netem's child 10:). Returns how many (0..2) were
 * written; cmds[i] has no trailing newline.
 */
int impair_tc(const struct impair *im, const char *dev,
	      char cmds[2][IMPAIR_CMD_MAX]);

#endif
