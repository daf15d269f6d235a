// SPDX-License-Identifier: GPL-2.0
/*
 * Impairment keys, their units and their tc commands (impair.h). Numbers
 * are read as fixed point with 6 decimals and must come out whole in the
 * unit kept (microseconds, thousandths of a percent, bits per second).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "impair.h"
#include "util.h"

const char *const impair_keys[IMP_NKEYS] = {
	[IMP_DELAY] = "delay",	       [IMP_JITTER] = "jitter",
	[IMP_LOSS] = "loss",	       [IMP_CORRUPT] = "corrupt",
	[IMP_DUPLICATE] = "duplicate", [IMP_REORDER] = "reorder",
	[IMP_RATE] = "rate",
};

#define FIX 1000000ull /* 6 decimals */
#define INT_MAX_PART 1000000000000ull /* 1e12: no overflow times FIX */
#define TBF_BURST_MS 10 /* rate: the bucket holds this long of it */
#define TBF_BURST_MIN 4096 /* bytes: a few frames at least */
#define TBF_LATENCY_MS 50

int impair_key(const char *k)
{
	int i;

	for (i = 0; i < IMP_NKEYS; i++)
		if (!strcmp(k, impair_keys[i]))
			return i;
	return -1;
}

/* "12", "1.5": value * FIX in *fix, *end after the number */
static int parse_fixed(const char *s, unsigned long long *fix, const char **end)
{
	unsigned long long ip = 0, fp = 0, scale = FIX;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		ip = ip * 10 + (*p - '0');
		if (ip > INT_MAX_PART)
			return -ERANGE;
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (scale == 1)
				return -EINVAL; /* more than 6 decimals */
			scale /= 10;
			fp += (*p - '0') * scale;
		}
	}
	*fix = ip * FIX + fp;
	*end = p;
	return 0;
}

/* fix * mult / FIX when whole and <= max; -EINVAL when not whole */
static int scale_whole(unsigned long long fix, unsigned long long mult,
		       unsigned long long max, unsigned long long *out)
{
	unsigned long long whole = fix / FIX, frac = fix % FIX;

	if (whole && mult > max / whole)
		return -ERANGE;
	if ((frac * mult) % FIX)
		return -EINVAL;
	whole = whole * mult + frac * mult / FIX;
	if (whole > max)
		return -ERANGE;
	*out = whole;
	return 0;
}

/* a unit and how many of the smallest one it is */
struct unit {
	const char *name;
	unsigned long long mult;
};

/* a number, then one of units (any case), scaled to a whole <= max */
static int parse_unit(const char *s, const struct unit *units, size_t n,
		      unsigned long long max, unsigned long long *out)
{
	unsigned long long fix;
	const char *end;
	size_t i;
	int ret;

	ret = parse_fixed(s, &fix, &end);
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		if (!strcasecmp(end, units[i].name))
			return scale_whole(fix, units[i].mult, max, out);
	return -EINVAL;
}

int parse_duration_us(const char *s, uint32_t *us)
{
	static const struct unit units[] = { { "us", 1 },
					     { "ms", 1000 },
					     { "s", 1000000 } };
	unsigned long long v;
	int ret;

	ret = parse_unit(s, units, ARRAY_SIZE(units), IMPAIR_MAX_US, &v);
	if (!ret)
		*us = v;
	return ret;
}

int parse_percent(const char *s, uint32_t *milli_pct)
{
	unsigned long long fix, v;
	const char *end;
	int ret;

	ret = parse_fixed(s, &fix, &end);
	if (ret)
		return ret;
	if (*end == '%')
		end++;
	if (*end)
		return -EINVAL;
	ret = scale_whole(fix, IMPAIR_PCT_ONE, 100 * IMPAIR_PCT_ONE, &v);
	if (!ret)
		*milli_pct = v;
	return ret;
}

int parse_rate(const char *s, uint64_t *bps)
{
	static const struct unit units[] = { { "bit", 1 },
					     { "kbit", 1000 },
					     { "mbit", 1000000 },
					     { "gbit", 1000000000 } };
	unsigned long long v;
	int ret;

	ret = parse_unit(s, units, ARRAY_SIZE(units), 100000000000ull, &v);
	if (ret)
		return ret;
	if (v < 1000)
		return -ERANGE;
	*bps = v;
	return 0;
}

void fmt_duration(uint32_t us, char *out, size_t len)
{
	if (us % 1000)
		snprintf(out, len, "%uus", us);
	else
		snprintf(out, len, "%ums", us / 1000);
}

void fmt_percent(uint32_t milli_pct, char *out, size_t len)
{
	unsigned int frac = milli_pct % IMPAIR_PCT_ONE;
	int digits = 3;

	if (!frac) {
		snprintf(out, len, "%u%%", milli_pct / IMPAIR_PCT_ONE);
		return;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(out, len, "%u.%0*u%%", milli_pct / IMPAIR_PCT_ONE, digits,
		 frac);
}

void fmt_rate(uint64_t bps, char *out, size_t len)
{
	if (bps % 1000)
		snprintf(out, len, "%llubit", (unsigned long long)bps);
	else if (bps % 1000000)
		snprintf(out, len, "%llukbit", (unsigned long long)bps / 1000);
	else if (bps % 1000000000)
		snprintf(out, len, "%llumbit",
			 (unsigned long long)bps / 1000000);
	else
		snprintf(out, len, "%llugbit",
			 (unsigned long long)bps / 1000000000);
}

/* "x" is no impairment key (known: delay, ...): the list from the table */
static int unknown_key(const char *k, char *msg, size_t len)
{
	size_t off;
	int i, n;

	n = snprintf(msg, len, "\"%s\" is no impairment key (known:", k);
	for (i = 0; i < IMP_NKEYS && n >= 0 && (size_t)n < len; i++) {
		off = n;
		n = snprintf(msg + off, len - off, "%s %s", i ? "," : "",
			     impair_keys[i]);
		n = n < 0 ? n : (int)off + n;
	}
	if (n >= 0 && (size_t)n < len)
		snprintf(msg + n, len - n, ")");
	return -EINVAL;
}

int impair_set(struct impair *im, const char *k, const char *v, char *msg,
	       size_t len)
{
	int key = impair_key(k), ret;
	uint32_t u32;
	uint64_t u64;

	switch (key) {
	case IMP_DELAY:
	case IMP_JITTER:
		ret = parse_duration_us(v, &u32);
		if (ret == -ERANGE) {
			snprintf(msg, len, "%s = %s: out of range (0 to 60s)",
				 k, v);
			return -EINVAL;
		}
		if (ret) {
			snprintf(
				msg, len,
				"%s = %s: not a duration: it needs a number and a unit, e.g. 20ms, 500us, 1.5ms or 1s",
				k, v);
			return -EINVAL;
		}
		if (key == IMP_DELAY)
			im->delay_us = u32;
		else
			im->jitter_us = u32;
		break;
	case IMP_LOSS:
	case IMP_CORRUPT:
	case IMP_DUPLICATE:
	case IMP_REORDER:
		ret = parse_percent(v, &u32);
		if (ret) {
			snprintf(
				msg, len,
				"%s = %s: not a percentage: use 0 to 100 with at most 3 decimals, e.g. 1%% or 0.5",
				k, v);
			return -EINVAL;
		}
		im->pct[key - IMP_LOSS] = u32;
		break;
	case IMP_RATE:
		ret = parse_rate(v, &u64);
		if (ret == -ERANGE) {
			snprintf(msg, len,
				 "%s = %s: out of range (1kbit to 100gbit)", k,
				 v);
			return -EINVAL;
		}
		if (ret) {
			snprintf(
				msg, len,
				"%s = %s: not a rate: use a number and bit, kbit, mbit or gbit, e.g. 10mbit or 500kbit",
				k, v);
			return -EINVAL;
		}
		im->rate_bps = u64;
		break;
	default:
		return unknown_key(k, msg, len);
	}
	im->set |= 1u << key;
	return 0;
}

int impair_check(const struct impair *im, char *msg, size_t len)
{
	bool delay = (im->set & (1u << IMP_DELAY)) && im->delay_us;

	if ((im->set & (1u << IMP_JITTER)) && im->jitter_us && !delay) {
		snprintf(msg, len, "jitter needs a delay (e.g. delay = 20ms)");
		return -EINVAL;
	}
	if ((im->set & (1u << IMP_REORDER)) &&
	    im->pct[IMP_REORDER - IMP_LOSS] && !delay) {
		snprintf(
			msg, len,
			"reorder needs a delay: the reordered packets go at once, the others after the delay");
		return -EINVAL;
	}
	return 0;
}

void impair_value(const struct impair *im, enum impair_key k, char *out,
		  size_t len)
{
	if (!(im->set & (1u << k))) {
		snprintf(out, len, "%s", "");
		return;
	}
	switch (k) {
	case IMP_DELAY:
		fmt_duration(im->delay_us, out, len);
		break;
	case IMP_JITTER:
		fmt_duration(im->jitter_us, out, len);
		break;
	case IMP_RATE:
		fmt_rate(im->rate_bps, out, len);
		break;
	default:
		fmt_percent(im->pct[k - IMP_LOSS], out, len);
		break;
	}
}

void impair_summary(const struct impair *im, char *out, size_t len)
{
	size_t off = 0;
	char v[32];
	int k, n;

	if (len)
		out[0] = '\0';
	for (k = 0; k < IMP_NKEYS; k++) {
		if (!(im->set & (1u << k)))
			continue;
		impair_value(im, k, v, sizeof(v));
		n = snprintf(out + off, len - off, "%s%s %s", off ? " " : "",
			     impair_keys[k], v);
		if (n < 0 || (size_t)n >= len - off)
			return;
		off += n;
	}
}

/*
 * Append to a command: never past its end. The longest command (a netem
 * with every key, dev at most IFNAMSIZ) is under 200 bytes.
 */
static void cmd_add(char *cmd, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void cmd_add(char *cmd, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= IMPAIR_CMD_MAX - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(cmd + *off, IMPAIR_CMD_MAX - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += n;
}

int impair_tc(const struct impair *im, const char *dev,
	      char cmds[2][IMPAIR_CMD_MAX])
{
	static const char *const netem_kw[] = { "loss", "corrupt", "duplicate",
						"reorder" };
	unsigned int netem = im->set & ~(1u << IMP_RATE);
	bool rate = im->set & (1u << IMP_RATE);
	size_t off = 0;
	int n = 0, i;
	char v[32];

	if (netem) {
		cmds[n][0] = '\0';
		cmd_add(cmds[n], &off,
			"tc qdisc add dev %s root handle 1: netem", dev);
		if (im->set & ((1u << IMP_DELAY) | (1u << IMP_JITTER))) {
			cmd_add(cmds[n], &off, " delay %uus", im->delay_us);
			if (im->jitter_us)
				cmd_add(cmds[n], &off, " %uus", im->jitter_us);
		}
		for (i = 0; i < (int)(sizeof(netem_kw) / sizeof(netem_kw[0]));
		     i++) {
			if (!(im->set & (1u << (IMP_LOSS + i))))
				continue;
			fmt_percent(im->pct[i], v, sizeof(v));
			cmd_add(cmds[n], &off, " %s %s", netem_kw[i], v);
		}
		n++;
	}
	if (rate) {
		/*
		 * The bucket holds TBF_BURST_MS of the rate (at least a few
		 * frames): the node's kernel refills it every tick, and a
		 * smaller one caps the rate below what was asked.
		 */
		unsigned long long burst =
			im->rate_bps / 8 * TBF_BURST_MS / 1000;

		if (burst < TBF_BURST_MIN)
			burst = TBF_BURST_MIN;
		snprintf(
			cmds[n], IMPAIR_CMD_MAX,
			"tc qdisc add dev %s %s tbf rate %llubit burst %llu latency %dms",
			dev, netem ? "parent 1:1 handle 10:" : "root handle 1:",
			(unsigned long long)im->rate_bps, burst,
			TBF_LATENCY_MS);
		n++;
	}
	return n;
}
