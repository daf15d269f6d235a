// SPDX-License-Identifier: GPL-2.0
/*
 * Kathará's lab.dep ("node: dep1 dep2" lines) read into each device's boot
 * order: a topological sort in O(n + e), a loop named as it goes round.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kathara_priv.h"
#include "lab_priv.h"

/* device names to indexes in O(1): open addressing, 2n..4n slots */
struct k_names {
	int *slot; /* index + 1; 0: empty */
	size_t mask;
};

static size_t name_hash(const char *s)
{
	return fnv1a(s);
}

static int names_init(struct k_names *t, const struct k_lab *k)
{
	size_t size = 4, i;
	int d;

	while (size < 2 * (size_t)k->ndevs)
		size <<= 1;
	t->slot = calloc(size, sizeof(*t->slot));
	if (!t->slot)
		return -ENOMEM;
	t->mask = size - 1;
	for (d = 0; d < k->ndevs; d++) {
		for (i = name_hash(k->devs[d].name) & t->mask; t->slot[i];
		     i = (i + 1) & t->mask)
			;
		t->slot[i] = d + 1;
	}
	return 0;
}

static int names_find(const struct k_names *t, const struct k_lab *k,
		      const char *name)
{
	size_t i;

	for (i = name_hash(name) & t->mask; t->slot[i]; i = (i + 1) & t->mask)
		if (!strcmp(k->devs[t->slot[i] - 1].name, name))
			return t->slot[i] - 1;
	return -1;
}

/* "a needs b", as lab.dep lines give them */
struct k_edge {
	int a, b;
};

/*
 * The dependencies of each device a, dep[first[a]] .. dep[first[a + 1] - 1]
 * (want_b), or the devices that need each device b (!want_b): a counting
 * sort of the edges, O(n + e).
 */
static int edges_by(const struct k_edge *ed, int ne, int n, bool want_b,
		    int **first, int **to)
{
	int i, *pos;

	*first = calloc(n + 2, sizeof(**first));
	*to = calloc(ne + 1, sizeof(**to));
	pos = calloc(n + 1, sizeof(*pos));
	if (!*first || !*to || !pos) {
		free(pos);
		return -ENOMEM;
	}
	for (i = 0; i < ne; i++)
		(*first)[(want_b ? ed[i].a : ed[i].b) + 1]++;
	for (i = 0; i < n; i++)
		(*first)[i + 1] += (*first)[i];
	memcpy(pos, *first, n * sizeof(*pos));
	for (i = 0; i < ne; i++)
		(*to)[pos[want_b ? ed[i].a : ed[i].b]++] =
			want_b ? ed[i].b : ed[i].a;
	free(pos);
	return 0;
}

/* the first dependency of a that is not placed (one is, while a is not) */
static int dep_waiting(const int *first, const int *dep, const int *left, int a)
{
	int x;

	for (x = first[a]; x < first[a + 1] && !left[dep[x]]; x++)
		;
	return dep[x];
}

/*
 * The devices not placed each wait for another not placed (left[i]: the
 * dependencies i waits for): from the first of them, following those
 * comes round to a loop. It goes into e, from its first device in
 * lab.conf order: "among: a b c (a needs b, b needs c, c needs a)".
 */
static int dep_loop(const struct k_lab *k, const int *first, const int *dep,
		    const int *left, struct err *e)
{
	int n = k->ndevs, i, j, low, step, *seen;
	struct strbuf sb = { 0 };
	int ret;

	seen = calloc(n, sizeof(*seen));
	if (!seen)
		return errf(e, -ENOMEM, "%s: out of memory", k->dep);
	for (i = 0; !left[i]; i++)
		;
	for (step = 1; !seen[i]; step++) {
		seen[i] = step;
		i = dep_waiting(first, dep, left, i);
	}
	/* i is on the loop: start it at its first device */
	low = i;
	for (j = dep_waiting(first, dep, left, i); j != i;
	     j = dep_waiting(first, dep, left, j))
		low = j < low ? j : low;
	i = low;
	do {
		sb_printf(&sb, " %s", k->devs[i].name);
		i = dep_waiting(first, dep, left, i);
	} while (i != low);
	sb_puts(&sb, " (");
	do {
		j = dep_waiting(first, dep, left, i);
		sb_printf(&sb, "%s%s needs %s", i == low ? "" : ", ",
			  k->devs[i].name, k->devs[j].name);
		i = j;
	} while (i != low);
	ret = errf_at(e, -ELOOP, k->dep, 0,
		      "a dependency loop among:%s): remove one of them",
		      sb_str(&sb));
	sb_free(&sb);
	free(seen);
	return ret;
}

/*
 * lab.dep: "node: dep1 dep2". Each device's order is its place in the boot
 * order: a topological sort (Kahn's), O(n + e): the devices that need
 * nothing first, in lab.conf order, then each as its last dependency is
 * placed.
 */
int k_read_dep(struct k_lab *k, const char *text, struct err *e)
{
	char *copy = strdup(text), *line, *save = NULL, *next;
	struct k_names names = { NULL, 0 };
	struct k_edge *ed = NULL;
	int *dfirst = NULL, *dep = NULL, *nfirst = NULL, *needed = NULL;
	int *order = NULL, *left = NULL;
	int n = k->ndevs, ne = 0, ecap = 0, ln = 0, ret = 0, i, head, tail;

	order = calloc(n + 1, sizeof(*order));
	left = calloc(n + 1, sizeof(*left));
	if (!copy || !order || !left || names_init(&names, k)) {
		ret = errf(e, -ENOMEM, "%s: out of memory", k->dep);
		goto cleanup;
	}
	for (line = copy; line; line = next) {
		char *colon, *tok;
		int a;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		ln++;
		tok = strchr(line, '#');
		if (tok)
			*tok = '\0';
		line = strtrim(line);
		if (!*line)
			continue;
		colon = strchr(line, ':');
		if (!colon) {
			ret = errf_at(
				e, -EINVAL, k->dep, ln,
				"syntax error: expected \"node: dep1 dep2\"");
			goto cleanup;
		}
		*colon = '\0';
		a = names_find(&names, k, strtrim(line));
		if (a < 0) {
			ret = errf_at(e, -EINVAL, k->dep, ln,
				      "%s: no such device in lab.conf",
				      strtrim(line));
			goto cleanup;
		}
		for (tok = strtok_r(colon + 1, " \t", &save); tok;
		     tok = strtok_r(NULL, " \t", &save)) {
			int b = names_find(&names, k, tok);

			if (b < 0) {
				ret = errf_at(e, -EINVAL, k->dep, ln,
					      "%s: no such device in lab.conf",
					      tok);
				goto cleanup;
			}
			ret = lab_grow(&ed, ne, &ecap, sizeof(*ed), e);
			if (ret)
				goto cleanup;
			ed[ne++] = (struct k_edge){ a, b };
			left[a]++;
		}
	}
	if (edges_by(ed, ne, n, true, &dfirst, &dep) ||
	    edges_by(ed, ne, n, false, &nfirst, &needed)) {
		ret = errf(e, -ENOMEM, "%s: out of memory", k->dep);
		goto cleanup;
	}
	/* order[] is the queue: placed are order[0 .. head - 1] */
	for (tail = 0, i = 0; i < n; i++)
		if (!left[i])
			order[tail++] = i;
	for (head = 0; head < tail; head++) {
		int b = order[head], x;

		for (x = nfirst[b]; x < nfirst[b + 1]; x++)
			if (!--left[needed[x]])
				order[tail++] = needed[x];
	}
	if (tail < n) {
		ret = dep_loop(k, dfirst, dep, left, e);
		goto cleanup;
	}
	for (i = 0; i < n; i++)
		k->devs[order[i]].order = i;
cleanup:
	free(copy);
	free(names.slot);
	free(ed);
	free(dfirst);
	free(dep);
	free(nfirst);
	free(needed);
	free(order);
	free(left);
	return ret;
}
