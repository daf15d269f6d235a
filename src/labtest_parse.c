// SPDX-License-Identifier: GPL-2.0
/*
 * The [test] grammar (docs/lab.md): one line "KIND = ARGS" into struct
 * lab_test. Running the tests is labtest.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lab_priv.h"
#include "profile.h"

/*
 * split s into words in place; double quotes group words and are removed
 * (match="a b" is the word match=a b); returns the count, -1 on a missing
 * closing quote or more than max words
 */
static int split_words(char *s, char **w, int max)
{
	char *out;
	bool quoted = false;
	int n = 0;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (n >= max)
			return -1;
		w[n++] = out = s;
		for (; *s && (quoted || (*s != ' ' && *s != '\t')); s++) {
			if (*s == '"')
				quoted = !quoted;
			else
				*out++ = *s;
		}
		if (*s)
			s++;
		*out = '\0';
	}
	return quoted ? -1 : n;
}

/* the words of args (at most TEST_MAX_WORDS), or an error */
#define TEST_MAX_WORDS 16

static int words(struct lab_ctx *c, const struct lab_test_type *ty,
		 const char *args, char *buf, size_t len, char **w)
{
	int n;

	strscpy(buf, args, len);
	n = split_words(buf, w, TEST_MAX_WORDS);
	if (n < 0)
		return lab_err(c, c->line, "%s = %s: too many words", ty->name,
			       args);
	return n;
}

/* reach|no-reach = NODE TARGET */
int labtest_parse_reach(struct lab_ctx *c, const struct lab_test_type *ty,
			const char *args, struct lab_test *t)
{
	char buf[OPT_VALUE_MAX + 40], *w[TEST_MAX_WORDS];
	int n = words(c, ty, args, buf, sizeof(buf), w);

	if (n < 0)
		return n;
	if (n != 2)
		return lab_err(
			c, c->line,
			"%s = %s: must be NODE TARGET (a node or an address)",
			ty->name, args);
	strscpy(t->node_name, w[0], sizeof(t->node_name));
	strscpy(t->target, w[1], sizeof(t->target));
	return 0;
}

/* tcp = NODE TARGET:PORT open|closed */
int labtest_parse_tcp(struct lab_ctx *c, const struct lab_test_type *ty,
		      const char *args, struct lab_test *t)
{
	char buf[OPT_VALUE_MAX + 40], *w[TEST_MAX_WORDS], *colon;
	int n = words(c, ty, args, buf, sizeof(buf), w);
	unsigned long un;

	if (n < 0)
		return n;
	if (n != 3 || (strcmp(w[2], "open") && strcmp(w[2], "closed")))
		return lab_err(c, c->line,
			       "tcp = %s: must be NODE TARGET:PORT open|closed",
			       args);
	colon = strrchr(w[1], ':');
	if (!colon)
		return lab_err(c, c->line, "tcp = %s: %s has no :PORT", args,
			       w[1]);
	*colon = '\0';
	if (parse_uint(colon + 1, 1, 65535, &un))
		return lab_err(c, c->line,
			       "tcp = %s: the port must be 1..65535", args);
	t->port = un;
	strscpy(t->node_name, w[0], sizeof(t->node_name));
	strscpy(t->target, w[1], sizeof(t->target));
	/* [v6]:port */
	if (t->target[0] == '[' && t->target[strlen(t->target) - 1] == ']') {
		memmove(t->target, t->target + 1, strlen(t->target));
		t->target[strlen(t->target) - 1] = '\0';
	}
	t->want_open = !strcmp(w[2], "open");
	return 0;
}

/* route = NODE PREFIX via X | NODE PREFIX dev vecN */
int labtest_parse_route(struct lab_ctx *c, const struct lab_test_type *ty,
			const char *args, struct lab_test *t)
{
	char buf[OPT_VALUE_MAX + 40], *w[TEST_MAX_WORDS];
	int n = words(c, ty, args, buf, sizeof(buf), w);
	struct ip_prefix pfx;

	if (n < 0)
		return n;
	if (n != 4 || (strcmp(w[2], "via") && strcmp(w[2], "dev")))
		return lab_err(
			c, c->line,
			"route = %s: must be NODE PREFIX via X or NODE PREFIX dev vecN",
			args);
	if (strcmp(w[1], "default") && ip_prefix_parse(w[1], false, &pfx))
		return lab_err(c, c->line, "route = %s: \"%s\" is not a prefix",
			       args, w[1]);
	strscpy(t->node_name, w[0], sizeof(t->node_name));
	strscpy(t->target, w[1], sizeof(t->target));
	if (!strcmp(w[2], "via"))
		strscpy(t->via, w[3], sizeof(t->via));
	else if (strscpy(t->dev, w[3], sizeof(t->dev)))
		return lab_err(c, c->line, "route: dev %s: name too long",
			       w[3]);
	return 0;
}

/* exec = NODE [exit=N] [match=RE] -- COMMAND */
int labtest_parse_exec(struct lab_ctx *c, const struct lab_test_type *ty,
		       const char *args, struct lab_test *t)
{
	char buf[OPT_VALUE_MAX + 40], *w[TEST_MAX_WORDS];
	const char *dashes = strstr(args, " -- ");
	int n, i;

	(void)ty;
	if (!dashes || !dashes[4])
		return lab_err(
			c, c->line,
			"exec = %s: must be NODE [exit=N] [match=REGEX] -- COMMAND",
			args);
	strscpy(t->cmd, dashes + 4, sizeof(t->cmd));
	snprintf(buf, sizeof(buf), "%.*s", (int)(dashes - args), args);
	n = split_words(buf, w, TEST_MAX_WORDS);
	if (n < 1)
		return lab_err(c, c->line,
			       "exec = %s: unbalanced quotes or too many words",
			       args);
	strscpy(t->node_name, w[0], sizeof(t->node_name));
	for (i = 1; i < n; i++) {
		unsigned long un;

		if (!strncmp(w[i], "exit=", 5)) {
			if (parse_uint(w[i] + 5, 0, 255, &un))
				return lab_err(
					c, c->line,
					"exec: %s: the exit code must be 0..255",
					w[i]);
			t->exit_code = un;
		} else if (!strncmp(w[i], "match=", 6)) {
			strscpy(t->match, w[i] + 6, sizeof(t->match));
			if (!t->match[0])
				return lab_err(
					c, c->line,
					"exec: match= needs a regular expression");
		} else {
			return lab_err(
				c, c->line,
				"exec: \"%s\": expected exit=N or match=REGEX before --",
				w[i]);
		}
	}
	return 0;
}

/* rtt|loss|throughput = A B <|> VALUE */
int labtest_parse_measure(struct lab_ctx *c, const struct lab_test_type *ty,
			  const char *args, struct lab_test *t)
{
	char buf[OPT_VALUE_MAX + 40], *w[TEST_MAX_WORDS];
	int n = words(c, ty, args, buf, sizeof(buf), w), ret;
	const char *form = ty->kind == TEST_RTT	   ? "50ms"
			   : ty->kind == TEST_LOSS ? "1%"
						   : "20mbit";
	uint32_t u32 = 0;
	uint64_t u64 = 0;

	if (n < 0)
		return n;
	if (n != 4 || (strcmp(w[2], "<") && strcmp(w[2], ">")))
		return lab_err(c, c->line,
			       "%s = %s: must be NODE TARGET < %s or >",
			       ty->name, args, form);
	if (ty->kind == TEST_RTT)
		ret = parse_duration_us(w[3], &u32);
	else if (ty->kind == TEST_LOSS)
		ret = parse_percent(w[3], &u32);
	else
		ret = parse_rate(w[3], &u64);
	if (ret)
		return lab_err(c, c->line,
			       "%s = %s: \"%s\" is not a %s like %s", ty->name,
			       args, w[3],
			       ty->kind == TEST_RTT    ? "duration"
			       : ty->kind == TEST_LOSS ? "percentage"
						       : "rate",
			       form);
	t->cmp = w[2][0];
	t->limit = ty->kind == TEST_THROUGHPUT ? u64 : u32;
	strscpy(t->node_name, w[0], sizeof(t->node_name));
	strscpy(t->target, w[1], sizeof(t->target));
	return 0;
}

/* wait-for = SECONDS KIND ARGS: KIND's test, retried until then */
int labtest_parse_wait_for(struct lab_ctx *c, const struct lab_test_type *ty,
			   const char *args, struct lab_test *t)
{
	const struct lab_test_type *inner;
	char ikind[32], num[16];
	const char *end = args + strcspn(args, " \t"), *rest;
	unsigned long s = 0;
	int k;

	(void)ty;
	if (end - args >= (long)sizeof(num) || !*end)
		s = 0;
	else if (snprintf(num, sizeof(num), "%.*s", (int)(end - args), args) <
			 0 ||
		 parse_uint(num, 1, 3600, &s))
		s = 0;
	if (!s)
		return lab_err(
			c, c->line,
			"wait-for = %s: must be SECONDS and an assertion, e.g. wait-for = 30 reach r1 r3",
			args);
	while (*end == ' ' || *end == '\t')
		end++;
	k = strcspn(end, " \t");
	if (k >= (int)sizeof(ikind) || !end[k])
		return lab_err(c, c->line,
			       "wait-for = %s: the assertion is missing", args);
	memcpy(ikind, end, k);
	ikind[k] = '\0';
	inner = lab_test_type_find(ikind);
	if (inner && (!inner->run || lab_test_is_step(inner->kind)))
		return lab_err(c, c->line,
			       "wait-for: \"%s\" cannot be waited for", ikind);
	rest = end + k + strspn(end + k, " \t");
	k = lab_test_parse(c, ikind, rest, t);
	if (k)
		return k;
	t->wait_s = s;
	snprintf(t->text, sizeof(t->text), "wait-for %lu %s %s", s, ikind,
		 rest);
	return 0;
}

/* link-set = LINK --delay D ...; link-reset = LINK */
int labtest_parse_link_impair(struct lab_ctx *c, const struct lab_test_type *ty,
			      const char *args, struct lab_test *t)
{
	char buf[OPT_VALUE_MAX + 40], *w[TEST_MAX_WORDS], msg[300];
	int n = words(c, ty, args, buf, sizeof(buf), w), i;
	bool set = ty->kind == TEST_LINK_SET;

	if (n < 0)
		return n;
	if (n < 1 || (!set && n != 1))
		return lab_err(c, c->line, "%s = %s: must be %s", ty->name,
			       args,
			       !set ? "a link name"
				    : "LINK --delay D --loss P --rate R ...");
	strscpy(t->target, w[0], sizeof(t->target));
	for (i = 1; i < n; i += 2) {
		if (strncmp(w[i], "--", 2) || impair_key(w[i] + 2) < 0 ||
		    i + 1 >= n)
			return lab_err(
				c, c->line,
				"%s = %s: \"%s\": expected --delay, --jitter, --loss, --corrupt, --duplicate, --reorder or --rate and a value",
				ty->name, args, w[i]);
		if (impair_set(&t->impair, w[i] + 2, w[i + 1], msg,
			       sizeof(msg)))
			return lab_err(c, c->line, "%s: %s", ty->name, msg);
	}
	if (set && !impair_any(&t->impair))
		return lab_err(
			c, c->line,
			"link-set = %s: nothing to set (link-reset = LINK removes an impairment)",
			args);
	if (impair_check(&t->impair, msg, sizeof(msg)))
		return lab_err(c, c->line, "%s: %s", ty->name, msg);
	return 0;
}

/* link-down|link-up = LINK */
int labtest_parse_link(struct lab_ctx *c, const struct lab_test_type *ty,
		       const char *args, struct lab_test *t)
{
	char buf[OPT_VALUE_MAX + 40], *w[TEST_MAX_WORDS];
	int n = words(c, ty, args, buf, sizeof(buf), w);

	if (n < 0)
		return n;
	if (n != 1)
		return lab_err(c, c->line, "%s = %s: must be a link name",
			       ty->name, args);
	strscpy(t->target, w[0], sizeof(t->target));
	return 0;
}

const struct lab_test_type *lab_test_type_find(const char *name)
{
	int i;

	for (i = 0; i < lab_ntest_types; i++)
		if (!strcmp(lab_test_types[i].name, name))
			return &lab_test_types[i];
	return NULL;
}

int lab_test_parse(struct lab_ctx *c, const char *kind, const char *args,
		   struct lab_test *t)
{
	const struct lab_test_type *ty = lab_test_type_find(kind);
	struct strbuf known = { 0 };
	int i, ret;

	if (ty) {
		if (ty->kind >= 0) {
			snprintf(t->text, sizeof(t->text), "%s %s", kind, args);
			t->kind = ty->kind;
		}
		return ty->parse(c, ty, args, t);
	}
	for (i = 0; i < lab_ntest_types; i++)
		sb_printf(&known, "%s%s", i ? ", " : "",
			  lab_test_types[i].name);
	ret = known.oom
		      ? errf(c->e, -ENOMEM, "out of memory")
		      : lab_err(c, c->line,
				"[test]: unknown assertion \"%s\" (known: %s)",
				kind, sb_str(&known));
	sb_free(&known);
	return ret;
}

int lab_tests_check(struct lab_ctx *c)
{
	struct lab *lab = c->lab;
	int i;

	for (i = 0; i < lab->ntests; i++) {
		struct lab_test *t = &lab->tests[i];

		c->file = t->file;
		if (lab_test_is_step(t->kind)) {
			if (lab_link_find(lab, t->target) < 0)
				return lab_err(c, t->line,
					       "%s: no [link %s] in this lab",
					       t->text, t->target);
			continue;
		}
		t->node = lab_node_find(lab, t->node_name);
		if (t->node < 0)
			return lab_err(c, t->line,
				       "%s: no [node %s] in this lab", t->text,
				       t->node_name);
		if (t->kind == TEST_THROUGHPUT &&
		    lab_node_find(lab, t->target) < 0)
			return lab_err(
				c, t->line,
				"%s: the target must be a node of this lab (iperf3 -s runs there)",
				t->text);
	}
	return 0;
}
