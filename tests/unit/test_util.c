// SPDX-License-Identifier: GPL-2.0
/*
 * The strict parsers of src/util.c: parse_uint (numbers from options and
 * files), kstrtoull_like (numbers as the kernel reads them),
 * cmdline_unsafe (bytes that would split the kernel command line),
 * host_name_valid and str_escape; ini_line (one line of a profile or lab
 * file), and the quoting of sb_shquote (shell) and sb_json_str (JSON).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

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
	CHECK("errf NULL err", errf(NULL, -ENOMEM, "x") == -ENOMEM, "%s", "no");
}

static void bytes_case(const char *s, int want_ret, unsigned long long want)
{
	unsigned long long v = 0;
	char name[128];
	int ret = parse_bytes(s, 1, 1ULL << 40, &v);

	snprintf(name, sizeof(name), "parse_bytes(\"%s\")", s);
	CHECK(name, ret == want_ret && (ret || v == want),
	      "ret %d v %llu, want ret %d v %llu", ret, v, want_ret, want);
}

/* ini_line on a copy of line: want "KIND k=v" ("KV a=b", "SECTION [x]",
 * "EMPTY", "ERROR message") */
static void ini_case(const char *line, const char *want)
{
	char copy[512], err[256] = "", got[600], name[160], shown[64];
	char *k = NULL, *v = NULL;
	enum ini_kind kind;

	snprintf(copy, sizeof(copy), "%s", line);
	kind = ini_line(copy, &k, &v, err, sizeof(err));
	switch (kind) {
	case INI_EMPTY:
		snprintf(got, sizeof(got), "EMPTY");
		break;
	case INI_SECTION:
		snprintf(got, sizeof(got), "SECTION %s", k);
		break;
	case INI_KV:
		snprintf(got, sizeof(got), "KV %s=%s", k, v);
		break;
	case INI_ERROR:
		snprintf(got, sizeof(got), "ERROR %s", err);
		break;
	}
	snprintf(name, sizeof(name), "ini_line(\"%s\")",
		 str_escape(line, shown, sizeof(shown)));
	CHECK_STR(name, got, want);
}

static void test_ini_line(void)
{
	char longline[400], want[300];

	ini_case("", "EMPTY");
	ini_case("   \t  ", "EMPTY");
	ini_case("\n", "EMPTY");
	ini_case("# a comment", "EMPTY");
	ini_case("   # a comment after whitespace", "EMPTY");
	ini_case("[node]", "SECTION [node]");
	ini_case("  [link vec0]  # comment", "SECTION [link vec0]");
	ini_case("name = r1", "KV name=r1");
	ini_case("name=r1", "KV name=r1");
	ini_case("\tname\t=\tr1\t", "KV name=r1");
	ini_case("name = r1\r\n", "KV name=r1");
	/* a '#' starts a comment only at the start or after whitespace */
	ini_case("name = r1 # the router", "KV name=r1");
	ini_case("name = r1\t# the router", "KV name=r1");
	ini_case("name = r1#2", "KV name=r1#2");
	ini_case("url = http://x/#frag", "KV url=http://x/#frag");
	/* quotes are not special: they neither hide a comment nor go away */
	ini_case("cmd = 'a # b'", "KV cmd='a");
	ini_case("cmd = \"\"", "KV cmd=\"\"");
	/* the first '=' splits, the value keeps the others */
	ini_case("run = a=b = c", "KV run=a=b = c");
	ini_case("sysctl = net.ipv4.ip_forward=1",
		 "KV sysctl=net.ipv4.ip_forward=1");
	/* control characters other than tab are kept, not trimmed */
	ini_case("k = a\x01", "KV k=a\x01");
	ini_case("key", "ERROR expected key = value, got \"key\"");
	ini_case("  two words  # c",
		 "ERROR expected key = value, got \"two words\"");
	ini_case("= r1", "ERROR missing key before '='");
	ini_case("   =   ", "ERROR missing key before '='");
	ini_case("name =", "ERROR name: missing value after '='");
	ini_case("name =   # nothing", "ERROR name: missing value after '='");
	/* the line quoted in an error is cut at 200 bytes */
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	snprintf(want, sizeof(want),
		 "ERROR expected key = value, got \"%.200s\"", longline);
	ini_case(longline, want);
}

/* fn (sb_shquote or sb_json_str) appends s quoted: it must give want */
static void quote_case(void (*fn)(struct strbuf *, const char *),
		       const char *fname, const char *s, const char *want)
{
	struct strbuf sb = { 0 };
	char name[128], shown[64];

	fn(&sb, s);
	snprintf(name, sizeof(name), "%s(\"%s\")", fname,
		 str_escape(s, shown, sizeof(shown)));
	CHECK_STR(name, sb_str(&sb), want);
	sb_free(&sb);
}

#define shquote_case(s, want) quote_case(sb_shquote, "sb_shquote", s, want)
#define json_case(s, want) quote_case(sb_json_str, "sb_json_str", s, want)

static void test_quoting(void)
{
	struct strbuf sb = { 0 };

	shquote_case("r1", "r1");
	shquote_case("/run/umnet/r1/console.log", "/run/umnet/r1/console.log");
	shquote_case("a=b,c:d@e%f+g-h_i.j", "a=b,c:d@e%f+g-h_i.j");
	shquote_case("", "''");
	shquote_case("a b", "'a b'");
	shquote_case("it's", "'it'\\''s'");
	shquote_case("'", "''\\'''");
	shquote_case("$HOME", "'$HOME'");
	shquote_case("a;rm -rf /", "'a;rm -rf /'");
	shquote_case("`x`", "'`x`'");
	shquote_case("a\"b", "'a\"b'");
	shquote_case("a\\b", "'a\\b'");
	shquote_case("*", "'*'");
	shquote_case("~", "'~'");
	shquote_case("a\nb", "'a\nb'");
	shquote_case("a\tb", "'a\tb'");

	json_case("r1", "\"r1\"");
	json_case("", "\"\"");
	json_case("say \"hi\"", "\"say \\\"hi\\\"\"");
	json_case("C:\\x", "\"C:\\\\x\"");
	json_case("a\nb\tc", "\"a\\nb\\tc\"");
	json_case("\r", "\"\\u000d\"");
	json_case("\x01\x1f", "\"\\u0001\\u001f\"");
	json_case("\x7f", "\"\x7f\"");
	json_case("/", "\"/\"");
	json_case("caf\xc3\xa9", "\"caf\xc3\xa9\"");

	/* both append to what the buffer holds */
	sb_puts(&sb, "{\"name\": ");
	sb_json_str(&sb, "r\"1");
	sb_puts(&sb, ", \"cmd\": ");
	sb_shquote(&sb, "x y");
	sb_puts(&sb, "}");
	CHECK_STR("sb_json_str and sb_shquote append", sb_str(&sb),
		  "{\"name\": \"r\\\"1\", \"cmd\": 'x y'}");
	sb_free(&sb);
}

/*
 * path_reachable: the first directory on the way that a uid may not pass
 * (what a lab's jailed switch needs of the state dir, e.g. mktemp -d's 0700)
 */
static void test_reachable(void)
{
	char dir[] = "/tmp/umnet-test-reach.XXXXXX", a[64], b[64], blk[64];
	char cmd[96];
	mode_t m = 0;
	int ret;

	if (!mkdtemp(dir)) {
		CHECK("reachable: mkdtemp", 0, "%m");
		return;
	}
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/a/b", dir);
	if (chmod(dir, 0755) || mkdir(a, 0700) || mkdir(b, 0755)) {
		CHECK("reachable: setup", 0, "%m");
		goto out;
	}
	ret = path_reachable(b, 65534, 65534, blk, sizeof(blk), &m);
	CHECK("reachable: a 0700 dir on the way stops another uid, named",
	      ret == -EACCES && !strcmp(blk, a) && m == 0700, "%d %s %o", ret,
	      blk, (unsigned)m);
	CHECK_INT("reachable: uid 0 passes",
		  path_reachable(b, 0, 0, blk, sizeof(blk), &m), 0);
	chmod(a, 0711);
	CHECK_INT("reachable: 0711 lets others through (no listing needed)",
		  path_reachable(b, 65534, 65534, blk, sizeof(blk), &m), 0);
	chmod(a, 0710);
	ret = path_reachable(b, 65534, 65534, blk, sizeof(blk), &m);
	CHECK("reachable: 0710 stops a uid outside the group",
	      ret == -EACCES && !strcmp(blk, a), "%d %s", ret, blk);
	if (geteuid() == 0 && !chown(a, 0, 65534))
		CHECK_INT("reachable: 0710 lets the dir's group through",
			  path_reachable(b, 65534, 65534, blk, sizeof(blk), &m),
			  0);
	/* the owner with 0700 (as root: a dir of uid 65534) */
	chmod(a, 0700);
	if (geteuid() == 0 ? !chown(a, 65534, 65534) : 1)
		CHECK_INT("reachable: 0700 lets its owner through",
			  path_reachable(b, geteuid() ? geteuid() : 65534,
					 65534, blk, sizeof(blk), &m),
			  0);
	snprintf(cmd, sizeof(cmd), "%s/none", b);
	CHECK_INT("reachable: a missing dir: -ENOENT",
		  path_reachable(cmd, 65534, 65534, blk, sizeof(blk), &m),
		  -ENOENT);
out:
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
	char buf[32];

	test_errf();
	test_reachable();
	bytes_case("512", 0, 512);
	bytes_case("8M", 0, 8ULL << 20);
	bytes_case("8m", 0, 8ULL << 20);
	bytes_case("64K", 0, 64ULL << 10);
	bytes_case("2G", 0, 2ULL << 30);
	bytes_case("0", -ERANGE, 0);
	bytes_case("2048G", -ERANGE, 0);
	bytes_case("99999999999999999999999", -ERANGE, 0);
	bytes_case("8MB", -EINVAL, 0);
	bytes_case("8 M", -EINVAL, 0);
	bytes_case("-8M", -EINVAL, 0);
	bytes_case("M", -EINVAL, 0);
	bytes_case("", -EINVAL, 0);
	test_ini_line();
	test_quoting();

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
	/* the reference vectors of FNV-1a, 32 bits */
	CHECK("fnv1a: \"\", \"a\", \"foobar\"",
	      fnv1a("") == 0x811c9dc5u && fnv1a("a") == 0xe40c292cu &&
		      fnv1a("foobar") == 0xbf9cf968u,
	      "%08x %08x %08x", fnv1a(""), fnv1a("a"), fnv1a("foobar"));
	UNIT_DONE();
}
