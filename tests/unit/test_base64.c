// SPDX-License-Identifier: GPL-2.0
/*
 * base64 (src/base64.c): RFC 4648 test vectors, binary round trips of every
 * length up to a few hundred bytes, and rejection of malformed input.
 */
#include "agent_proto.h"
#include "unit.h"

#include <stdint.h>

static const struct {
	const char *plain;
	const char *encoded;
} rfc4648[] = {
	/* RFC 4648 section 10 */
	{ "", "" },
	{ "f", "Zg==" },
	{ "fo", "Zm8=" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" },
	{ "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" },
};

static void test_vectors(void)
{
	char enc[64], dec[64], name[96];
	size_t i, n;
	ssize_t r;

	for (i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		const char *p = rfc4648[i].plain, *e = rfc4648[i].encoded;

		snprintf(name, sizeof(name), "rfc4648 encoded_len(\"%s\")", p);
		CHECK_INT(name, b64_encoded_len(strlen(p)), strlen(e));

		memset(enc, 'X', sizeof(enc));
		n = b64_encode(p, strlen(p), enc);
		snprintf(name, sizeof(name), "rfc4648 encode(\"%s\")", p);
		CHECK(name, n == strlen(e) && strcmp(enc, e) == 0,
		      "got %zu \"%s\", want \"%s\"", n, enc, e);

		memset(dec, 'X', sizeof(dec));
		r = b64_decode(e, strlen(e), dec);
		snprintf(name, sizeof(name), "rfc4648 decode(\"%s\")", e);
		CHECK(name, r == (ssize_t)strlen(p) && memcmp(dec, p, r) == 0,
		      "got %zd bytes, want \"%s\"", r, p);
	}
}

/* all 256 byte values, and the alphabet's two special characters */
static void test_binary(void)
{
	unsigned char in[256], out[256 + 8];
	char enc[400];
	ssize_t r;
	size_t n;
	int i;

	for (i = 0; i < 256; i++)
		in[i] = (unsigned char)i;
	n = b64_encode(in, sizeof(in), enc);
	CHECK_INT("binary 0..255 encoded length", n, 344);
	CHECK("binary 0..255 starts AAECAwQF", strncmp(enc, "AAECAwQF", 8) == 0,
	      "got %.8s", enc);
	CHECK_STR("binary 0..255 ends with +/w==", enc + n - 12,
		  "+fr7/P3+/w==");
	r = b64_decode(enc, n, out);
	CHECK("binary 0..255 round trip",
	      r == 256 && memcmp(in, out, sizeof(in)) == 0, "got %zd bytes", r);

	n = b64_encode("\xfb\xff\xbf", 3, enc);
	CHECK_STR("encode uses + and /", enc, "+/+/");
}

/* pseudo-random data of every length 0..600 encodes and decodes back */
static void test_round_trips(void)
{
	static unsigned char in[600], out[600 + 8];
	static char enc[1024];
	uint32_t x = 0x12345678;
	size_t len, n, bad = 0, first_bad = 0;
	ssize_t r;

	for (len = 0; len < sizeof(in); len++)
		in[len] = (unsigned char)((x = x * 1103515245 + 12345) >> 16);
	for (len = 0; len <= sizeof(in); len++) {
		memset(enc, 0x55, sizeof(enc));
		n = b64_encode(in, len, enc);
		r = b64_decode(enc, n, out);
		if (n != b64_encoded_len(len) || enc[n] != '\0' ||
		    strlen(enc) != n || r != (ssize_t)len ||
		    memcmp(in, out, len) != 0) {
			if (!bad++)
				first_bad = len;
		}
	}
	CHECK("round trip of lengths 0..600", bad == 0,
	      "%zu lengths failed, first %zu", bad, first_bad);
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"Z",	 "Zg",	     "Zg=",	 "Zm9vY", "Zg==Zg==",
		"Z===",	 "====",     "=Zg=",	 "Zm=v",  "Zm9v\n",
		"Zm 9v", "Zm9v====", "Zh==",	 "Zm9=",  "Zm-v",
		"Zm_v",	 "Zm9\xc3",  "YWJj\tZA", "Zg=A",  "A=AA",
	};
	unsigned char out[64];
	char name[96];
	size_t i;
	ssize_t r;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "reject malformed #%zu", i);
		r = b64_decode(bad[i], strlen(bad[i]), out);
		CHECK(name, r == -1, "\"%s\" decoded to %zd bytes", bad[i], r);
	}
	/* an embedded NUL inside the given length is not base64 either */
	r = b64_decode("Zm\0v", 4, out);
	CHECK_INT("reject embedded NUL", r, -1);
	/* n limits what is read: a valid prefix of a longer buffer decodes */
	r = b64_decode("Zm9vYmFy!!!!", 8, out);
	CHECK("decode honours n", r == 6 && memcmp(out, "foobar", 6) == 0,
	      "got %zd", r);
}

int main(void)
{
	test_vectors();
	test_binary();
	test_round_trips();
	test_malformed();
	UNIT_DONE();
}
