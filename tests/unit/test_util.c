// SPDX-License-Identifier: GPL-2.0
/*
 * The strict parsers of src/util.c: parse_uint (numbers from options and
 * files), kstrtoull_like (numbers as the kernel reads them),
 * cmdline_unsafe (bytes that would split the kernel command line),
 * host_name_valid and str_escape.
 */
#include <errno.h>
#include <limits.h>

#include "util.h"
#include "unit.h"

static void uint_case(const char *s, unsigned long min, unsigned long max,
		      int want_ret, unsigned long want)
{
	unsigned long v = 12345;
	char name[128];
	int ret = parse_uint(s, min, max, &v);

	snprintf(name, sizeof(name), "parse_uint(\"%s\", %lu, %lu)", s, min,
		 max);
	CHECK(name, ret == want_ret && (ret || v == want),
	      "ret %d v %lu, want ret %d v %lu", ret, v, want_ret, want);
}

static void kcase(const char *s, unsigned int base, int want_ret,
		  unsigned long long want)
{
	unsigned long long v = 0;
	char name[128];
	int ret = kstrtoull_like(s, base, &v);

	snprintf(name, sizeof(name), "kstrtoull_like(\"%s\", %u)", s, base);
	CHECK(name, ret == want_ret && (ret || v == want),
	      "ret %d v %llu, want ret %d v %llu", ret, v, want_ret, want);
}

static void unsafe(const char *s, const char *forbid, const char *want)
{
	char buf[64], name[128], shown[64];
	const char *why = cmdline_unsafe(s, forbid, buf, sizeof(buf));

	snprintf(name, sizeof(name), "cmdline_unsafe(\"%s\")",
		 str_escape(s, shown, sizeof(shown)));
	if (!want)
		CHECK(name, !why, "%s", why);
	else
		CHECK(name, why && strstr(why, want), "got %s, want %s",
		      why ? why : "(safe)", want);
}

static void test_errf(void)
{
	struct err e = { "" };
	int ret;

	errno = ENOENT;
	ret = errf(&e, -EIO, "open %s: %m", "x");
	CHECK("errf returns ret", ret == -EIO, "ret %d", ret);
	CHECK("errf %m is the errno at the call",
	      !strcmp(e.msg, "open x: No such file or directory"), "%s", e.msg);
	CHECK("errf keeps errno", errno == ENOENT, "errno %d", errno);
	ret = errf_at(&e, -EINVAL, "a.lab", 7, "bad %s", "key");
	CHECK("errf_at file:line",
	      ret == -EINVAL && !strcmp(e.msg, "a.lab:7: bad key"), "%d %s",
	      ret, e.msg);
	ret = errf_at(&e, -EINVAL, "a.lab", 0, "bad");
	CHECK("errf_at line 0", !strcmp(e.msg, "a.lab: bad"), "%s", e.msg);
	CHECK("errf NULL err", errf(NULL, -ENOMEM, "x") == -ENOMEM,
	      "errf returned another value");
}

int main(void)
{
	char buf[32];

	test_errf();

	uint_case("8", 1, 64, 0, 8);
	uint_case("64", 1, 64, 0, 64);
	uint_case("8x", 1, 64, -EINVAL, 0);
	uint_case("x8", 1, 64, -EINVAL, 0);
	uint_case("", 1, 64, -EINVAL, 0);
	uint_case(" 8", 1, 64, -EINVAL, 0);
	uint_case("8 ", 1, 64, -EINVAL, 0);
	uint_case("+8", 1, 64, -EINVAL, 0);
	uint_case("-1", 1, 64, -EINVAL, 0);
	uint_case("0x10", 1, 64, -EINVAL, 0);
	uint_case("1e3", 1, 100000, -EINVAL, 0);
	uint_case("0", 1, 64, -ERANGE, 0);
	uint_case("65", 1, 64, -ERANGE, 0);
	uint_case("010", 0, 64, 0, 10);
	uint_case("18446744073709551615", 0, ULONG_MAX, 0, ULONG_MAX);
	uint_case("18446744073709551616", 0, ULONG_MAX, -ERANGE, 0);
	uint_case("99999999999999999999999", 1, 64, -ERANGE, 0);
	CHECK("parse_uint(NULL)", parse_uint(NULL, 0, 1, NULL) == -EINVAL,
	      "accepted");

	/* lib/kstrtox.c: _parse_integer_fixup_radix, _kstrtoull */
	kcase("0xffff", 0, 0, 65535);
	kcase("0XFFFF", 0, 0, 65535);
	kcase("010", 0, 0, 8);
	kcase("010", 10, 0, 10);
	kcase("0", 0, 0, 0);
	kcase("+7", 0, 0, 7);
	kcase("08", 0, -EINVAL, 0);
	kcase("0x", 0, -EINVAL, 0);
	kcase("0xg", 0, -EINVAL, 0);
	kcase("0x10", 10, -EINVAL, 0);
	kcase("-1", 0, -EINVAL, 0);
	kcase("", 0, -EINVAL, 0);
	kcase("+", 0, -EINVAL, 0);
	kcase("1 ", 0, -EINVAL, 0);
	kcase("0xffffffffffffffff", 0, 0, 18446744073709551615ULL);
	kcase("0x10000000000000000", 0, -ERANGE, 0);
	kcase("18446744073709551616", 10, -ERANGE, 0);

	unsafe("/tmp/x.bpf", ",=", NULL);
	unsafe("/x\tubd2=/etc/shadow", ",=", "contains a tab");
	unsafe("a b", NULL, "contains a space");
	unsafe("a\nb", NULL, "contains a line break");
	unsafe("a\rb", NULL, "contains a line break");
	unsafe("a\x01", NULL, "control character (byte 1)");
	unsafe("a\x7f", NULL, "control character (byte 127)");
	unsafe("a\xa0", NULL, "non-ASCII");
	unsafe("a\"b", NULL, "contains a quote");
	unsafe("a'b", NULL, "contains a quote");
	unsafe("a,b", ",=", "contains ','");
	unsafe("a=b", ",=", "contains '='");
	unsafe("a,b", NULL, NULL);
	unsafe("", NULL, "is empty");

	CHECK("host_name_valid: lan0", host_name_valid("lan0", 15), "refused");
	CHECK("host_name_valid: br-lan_0.1", host_name_valid("br-lan_0.1", 15),
	      "refused");
	CHECK("host_name_valid: 15 bytes",
	      host_name_valid("abcdefghijklmno", 15), "refused");
	CHECK("host_name_valid: 16 bytes",
	      !host_name_valid("abcdefghijklmnop", 15), "accepted");
	CHECK("host_name_valid: a space", !host_name_valid("a b", 63),
	      "accepted");
	CHECK("host_name_valid: a tab", !host_name_valid("a\tb", 63),
	      "accepted");
	CHECK("host_name_valid: leading '-'", !host_name_valid("-n", 63),
	      "accepted");
	CHECK("host_name_valid: leading '.'", !host_name_valid(".x", 63),
	      "accepted");
	CHECK("host_name_valid: '/'", !host_name_valid("a/b", 63), "accepted");
	CHECK("host_name_valid: empty", !host_name_valid("", 63), "accepted");
	CHECK("host_name_valid: NULL", !host_name_valid(NULL, 63), "accepted");

	CHECK_STR("str_escape: tab, newline, byte",
		  str_escape("a\tb\nc\x01\\", buf, sizeof(buf)),
		  "a\\tb\\nc\\x01\\\\");
	CHECK_STR("str_escape: truncates whole escapes",
		  str_escape("\x01\x02", buf, 6), "\\x01");
	UNIT_DONE();
}
